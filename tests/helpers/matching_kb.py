"""A small, realistic knowledge base built in memory for the matching tests."""

from __future__ import annotations

from datetime import date

from bot.kb.model import Entry, KnowledgeBase, LangText, Source
from bot.matching.usage import Usage

QUESTIONS = {
    "gifts-ban": (
        [
            "Мемлекеттік қызметші сыйлық ала ала ма?",
            "Сыйлық алуға тыйым бар ма?",
            "Қызметшіге сыйлық беруге бола ма?",
            "Мемлекеттік қызметшілерге сыйлыққа тыйым",
        ],
        [
            "Может ли госслужащий принимать подарки?",
            "Запрет на подарки государственным служащим",
            "Можно ли чиновнику взять подарок?",
            "Разрешено ли дарить подарки госслужащим?",
        ],
        [
            "Can a civil servant accept a gift?",
            "Ban on gifts to civil servants",
            "Is it allowed to give a present to an official?",
            "May public officials take gifts?",
        ],
    ),
    "provocation-definition": (
        [
            "Арандату деген не?",
            "Қылмыс жасауға арандату дегеніміз не?",
            "Пара беруге арандату қалай анықталады?",
            "Арандатушылық туралы түсіндіріңіз",
        ],
        [
            "Что такое провокация преступления?",
            "Провокация взятки это что?",
            "Что считается провокацией коррупционного преступления?",
            "Объясните понятие провокации",
        ],
        [
            "What is provocation of a crime?",
            "What counts as entrapment?",
            "Is offering a bribe to test an official a provocation?",
            "Explain provocation of a bribe",
        ],
    ),
    "relatives-same-agency": (
        [
            "Туыстар бір органда бірге жұмыс істей ала ма?",
            "Жақын туысқандардың бірге қызмет етуіне тыйым бар ма?",
            "Ағам басшы болса, мен оның бөлімінде істей аламын ба?",
            "Туыстардың бағыныштылығы",
        ],
        [
            "Могут ли родственники работать в одном госоргане?",
            "Можно ли работать под началом родственника?",
            "Запрет на совместную службу близких родственников",
            "Супруги в одном государственном органе",
        ],
        [
            "Can relatives work in the same government agency?",
            "May I work under my brother in the civil service?",
            "Ban on close relatives serving together",
            "Can spouses work in one state body?",
        ],
    ),
    "attacks-on-officers": (
        [
            "Полиция қызметкеріне шабуыл жасағаны үшін жаза қандай?",
            "Құқық қорғау органы қызметкеріне қастандық",
            "Полицейге қол көтеру жауапкершілігі",
            "Қызметкерге күш қолдану үшін не болады?",
        ],
        [
            "Какая ответственность за нападение на полицейского?",
            "Посягательство на жизнь сотрудника правоохранительного органа",
            "Что будет за насилие в отношении полицейского?",
            "Наказание за применение силы к сотруднику полиции",
        ],
        [
            "What is the penalty for attacking a police officer?",
            "Attack on a law enforcement officer",
            "Violence against a police officer",
            "What happens if you assault an officer?",
        ],
    ),
    "report-corruption": (
        [
            "Сыбайлас жемқорлық туралы қайда хабарлауға болады?",
            "Пара талап етсе қайда жүгінемін?",
            "Сенім телефоны қандай?",
            "Жемқорлық фактісін қалай хабарлаймын?",
        ],
        [
            "Куда сообщить о коррупции?",
            "Куда обращаться если вымогают взятку?",
            "Телефон доверия антикоррупционной службы",
            "Как сообщить о факте коррупции?",
        ],
        [
            "Where can I report corruption?",
            "Who do I call if someone demands a bribe?",
            "Anti-corruption hotline number",
            "How do I report a corrupt official?",
        ],
    ),
}
SYNONYMS = [
    ("взятка", "пара", "bribe", "мзда"),
    ("подарок", "сыйлық", "gift", "present"),
    ("провокация", "арандату", "entrapment", "provocation"),
    (
        "госслужащий",
        "чиновник",
        "государственный служащий",
        "civil servant",
        "official",
        "мемлекеттік қызметші",
    ),
    ("родственник", "туыс", "туысқан", "relative"),
    ("полицейский", "полиция", "police", "policeman"),
]
SMALLTALK = {
    "greeting": ("привет", "здравствуйте", "сәлем", "сәлеметсіз бе", "hello", "hi"),
    "thanks": ("спасибо", "рахмет", "thanks", "thank you"),
    "capabilities": ("что ты умеешь", "не істей аласың", "what can you do"),
    "case-signals": ("вымога", "требу взятк", "пара талап", "extort", "demand bribe"),
}


# The shipped usage (how people asked) is the bundled base's: a made-up base has none.
NO_USAGE: Usage = {}


def make_kb() -> KnowledgeBase:
    """Five entries over four topics, with synonyms and small talk."""
    source = Source({"kk": "Заң", "ru": "Закон", "en": "Law"})
    entries = {}
    for entry_id, (kk, ru, en) in QUESTIONS.items():
        texts = {
            lang: LangText(tuple(qs), f"Answer {entry_id} ({lang}).")
            for lang, qs in (("kk", kk), ("ru", ru), ("en", en))
        }
        entries[entry_id] = Entry(
            entry_id,
            entry_id.split("-")[0],
            texts,
            (source,),
            date(2020, 10, 18),
            aliases=(f"old-{entry_id}",),
        )
    return KnowledgeBase(
        entries=entries,
        synonyms=list(SYNONYMS),
        smalltalk={k: tuple(v) for k, v in SMALLTALK.items()},
    )
