# Adal in a container: the knowledge base and catalogs are bundled in the wheel.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 ADAL_DB=/data/adal.db
WORKDIR /app
COPY pyproject.toml README.md constraints.txt ./
COPY bot ./bot
COPY knowledge ./knowledge
COPY locales ./locales
RUN pip install --no-cache-dir -c constraints.txt . && useradd --create-home adal && mkdir -p /data \
    && chown adal /data
USER adal
VOLUME /data
# To edit the knowledge base live, mount a folder and point ADAL_KNOWLEDGE_DIR at it.
CMD ["adal-bot", "run"]
