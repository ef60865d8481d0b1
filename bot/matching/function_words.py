"""Function words (and greetings) of each language: they tell the language apart and carry
no topic, so matching ignores them. Question and time words (why, how many, before) tell
the language too but do carry meaning, so matching weighs them like any other word.

Written in ordinary spelling and folded at import (see :func:`bot.matching.normalize.fold`).
"""

from __future__ import annotations

from bot.kb.model import Lang
from bot.matching.normalize import words

_FUNCTION_WORDS: dict[Lang, str] = {
    "kk": """
        мен сен ол біз сіз сендер олар бұл осы сол мына анау мынау өз өзі өзім өзің
        және мен бен пен да де та те ма ме ба бе па пе ғой ғана тек ше шы ау
        не несі
        үшін туралы бойынша арқылы бері сияқты секілді қарай
        егер онда сонда немесе бірақ яғни әлде әрі әр барлық кей кейбір бәрі
        еді екен емес ия жоқ бар иә иа ал енді сонымен әлі тағы
        маған саған оған бізге сізге оларға мені сені оны бізді сізді менің сенің оның
        біздің сіздің олардың мұнда осында онда сондай мұндай осындай
        сәлем сәлеметсіз сәлеметсіздер саламатсыз саламатсызба саламатсыздар рахмет рақмет
        сау болыңыз қайырлы
        жарайды мақұл түсінікті түсіндім түсінбедім
    """,
    "ru": """
        и в во не что чтобы он она оно они я мы ты вы на с со как а то все всё так его её ее
        их но да к ко у же за бы по только мне меня мной нам нас вам вас им ему ей ней нем
        было был была были быть будет будут вот от из о об обо ли если уже или ни там тут
        чем чего кого кому этот эта это эти этого
        этой этом эту тот та те того той тем такой такая такое такие
        который которая которое которые при над под через про для без между
        мой моя моё мои свой своя своё свои ваш ваша ваше ваши наш наша наше наши
        себя себе сам сама сами тоже также еще ещё ведь вообще просто очень разве же ль
        пожалуйста подскажите скажите привет здравствуйте здравствуй спасибо благодарю
        стать стал стала стали станет можете можешь могу ради
    """,
    "en": """
        a an the is are was were be been being am do does did doing can could should would
        will shall may might must i me my mine we us our ours you your yours he him his she
        her hers it its they them their theirs this that these those
        if or and but not no of to in on at by for with from about
        as into onto than then there here so too very just also any some all both each such
        own same other please tell s t d m ll re ve hi hello hey thanks thank ok okay
        don didn doesn isn aren wasn weren won wouldn shouldn couldn haven hasn hadn
    """,
}

_QUESTION_WORDS: dict[Lang, str] = {  # with the particles that make a question
    "kk": "неге қалай қандай қашан кім кімге кімнен қай қайсы қайсысы қайда қайдан қанша неше "
    "ма ме ба бе па пе",
    "ru": "где когда куда зачем почему сколько кто как какой какая какое какие что ли",
    "en": "what which who whom whose when where why how",
}
_TIME_WORDS: dict[Lang, str] = {"kk": "дейін кейін бірге", "ru": "до после", "en": "before after"}
_NEGATIONS: dict[Lang, str] = {
    "kk": "жоқ емес емеспін емеспіз емессіз",
    "ru": "не нет ни ничего никто никак",
    "en": "no not never nothing nobody neither nor don didn doesn isn aren wasn weren haven hasn",
}

STOPWORDS: dict[Lang, frozenset[str]] = {
    lang: frozenset(words(text)) for lang, text in _FUNCTION_WORDS.items()
}
LANGUAGE_WORDS: dict[Lang, frozenset[str]] = {
    lang: STOPWORDS[lang] | frozenset(words(f"{_QUESTION_WORDS[lang]} {_TIME_WORDS[lang]}"))
    for lang in STOPWORDS
}
QUESTION_WORDS: frozenset[str] = frozenset(words(" ".join(_QUESTION_WORDS.values())))
NEGATIONS: frozenset[str] = frozenset(words(" ".join(_NEGATIONS.values())))
ALL_STOPWORDS: frozenset[str] = frozenset().union(*STOPWORDS.values())
# every language's: "кто", "what", "and" are in any paragraph, and asked of anything
ALL_LANGUAGE_WORDS: frozenset[str] = frozenset().union(*LANGUAGE_WORDS.values())
