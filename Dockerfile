# Adal in a container: the knowledge base and catalogs are bundled in the wheel.
# docs/deploy.md: how to run it (polling or a webhook behind a proxy, backups, a standby).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ADAL_DB=/data/adal.db
WORKDIR /app

# The dependencies, in a layer of their own, before any code: a change to the code or the
# knowledge base rebuilds only the layers below. They are read from pyproject.toml, with the
# exact versions of constraints.txt for the libraries matching results depend on.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
COPY locales ./locales
RUN pip install --no-deps . \
    && adal-bot kb check --strict > /dev/null \
    && groupadd --gid 10001 adal \
    && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin adal \
    && mkdir -p /data && chown 10001:10001 /data && chmod 700 /data

# A fixed uid: the volume's owner stays the same across images and hosts.
USER 10001:10001
VOLUME /data
# The webhook's port (ADAL_WEBHOOK_PORT), with /healthz and /metrics; unused when polling.
EXPOSE 8443
# Base loaded, database writable, heartbeat fresh; prints why when not.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["adal-bot", "health"]
# To edit the knowledge base live, mount a folder and point ADAL_KNOWLEDGE_DIR at it.
CMD ["adal-bot", "run"]
