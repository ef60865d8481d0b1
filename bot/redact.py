"""Personal-data redaction for what users type (kk/ru/en): a pure function, rules only, no I/O.

``redact(text)`` replaces personal data with placeholders and leaves the rest of the message as
it was, so that a maintainer can still read the question. It is applied before a user's text is
stored or shown to anyone else.

>>> redact("Меня зовут Асхат, ИИН 900101300126, тел. +7 701 123 45 67. Что грозит по ст. 412-1?")
'Меня зовут [NAME], ИИН [IIN], тел. [PHONE]. Что грозит по ст. 412-1?'

What is replaced, in this order:

- ``[EMAIL]`` e-mail addresses, also with "@" or "." spelled out (``ivan(at)mail.ru``,
  ``ivan [at] mail dot ru``, ``ivan собака mail.ru``; a bare ``at`` only before a mailbox host
  such as ``gmail.com`` or a spelled-out dot); ``[URL]`` links (``https://…``, ``www.…``,
  ``t.me/…`` and other social hosts), except links to official hosts (``*.gov.kz``,
  ``adilet.zan.kz``, ``egov.kz``, ``akorda.kz``), which are kept.
- ``[IBAN]`` ``KZ`` + 2 check digits + 16 letters or digits, spaced or not, mod-97 valid.
- ``[CARD]`` 13-19 digits, in one run or in groups of 4 (or 4-6-5), Luhn valid.
- ``[PHONE]`` +7 numbers: ``+7``, ``8`` or a bare ``7`` and ten digits, grouped and bracketed
  in any of the usual ways (``+7 (727) 250-12-34``, ``8-701-111-22-33``, ``87011234567``);
  ten digits from ``7xx`` without a prefix (``(701) 765 43 21``, ``701 765 43 21``); local
  ``250-33-44``; and a number of 5 or more digits right after a phone word (``тел.``,
  ``WhatsApp``), unless a word for an IIN or a BIN comes between them. Toll-free ``8 800 …``
  numbers are organisations' and are kept; so are short service numbers (``1424``, ``115``,
  ``102``), which are never matched.
- ``[IIN]`` / ``[BIN]`` 12 digits with a valid IIN/BIN check digit (``[BIN]`` when the 5th
  digit is 4, 5 or 6, as in a BIN's entity-type digit), in one run or as one number in groups
  of any sizes split by spaces, dashes or dots (``900 101 300 126``, ``9001013 00126``), unless
  a currency or unit is next to the groups (an amount). Choice: the check digit alone decides,
  without a birth date or a cue word, since 12-digit runs in a question are personal data far
  more often than not.
- ``[NUMBER]`` any other identifier-shaped run that is likely personal: 10 or more digits in a
  row (unless a currency or unit such as ``тенге``/``МРП`` follows, or a Latin letter precedes,
  as in a document code ``K1400000226``), a 12-digit run with a wrong check digit (a mistyped
  IIN is still an IIN, also in groups: ``870412 300123``, ``900 101 300 123``, but not an amount,
  a round sum such as ``100 000 000 000`` or years and dates in a row), a 4-4-4-4 card-shaped
  or an IBAN-shaped run that fails its check; and a case's or a record's number after a word
  for one (``уголовное дело № 2051 0001 0012 34``, ``іс №225-1/2024``, ``case no. 1-23/2024``,
  ``ЕРДР 231500031000123``), which without a number sign must hold a slash or five digits in a
  row, so that an article's number (``іс 380-1 бап``) is kept.
- ``[USERNAME]`` Telegram-style ``@name`` of 5-32 characters.
- ``[DOCUMENT]`` the number after a word for an identity document (``паспорт``,
  ``удостоверение (личности)``, ``уд. личности``, ``жеке куәлік``, ``passport``, ``ID card``,
  ``водительские права``): 6-12 digits, with up to two letters before them (``N12345678``).
- ``[PLATE]`` a car's registration plate in Kazakhstan's format, three digits, two or three
  capital letters and a two-digit region (``777ABC02``, ``123 AB 01``).
- ``[DATE]`` a date after a word for a birth (``родился``, ``дата рождения``, ``туған``,
  ``born``): ``12.04.1987``, ``12 апреля 1987``, ``1990 жылы 12 наурыз``, ``May 3, 1990``. A
  year alone ("a woman born in 1968": when may she retire?) and dates without such a word (a
  law's date) are kept.
- ``[ADDRESS]`` a street address: a word for a street, avenue or microdistrict with its name
  and the number of a house or a flat (``ул. Кенесары 40, кв. 12``, ``ул Абая 10``, ``пр.
  Кабанбай батыра 11``, ``Абай көшесі 15 үй``, ``12 Abai street``, ``мкр Самал 2, дом 5, кв
  17``, ``Самал-2 мкр 5 үй``); a capitalised name with a house and a flat and no such word
  (``Абая 10-25``, ``Абая 150-3``, ``Мангилик Ел 55/20``), unless the name is a law's or a
  calendar's word or the pair is a range, a pair of years or, in a message with a word for an
  article, a code or a law, an article's number (``Статья 412-1``, ``Провокация 412-1 УК``,
  ``Возраст 18-25 лет``); and a flat number alone (``кв. 12``, ``3 пәтер``,
  ``apt 5``). A street without a number ("near Abai avenue") and a town are places, and kept.
- ``[NAME]`` person names, by rules: a capitalised word (or, after ``меня зовут``/``my name
  is``/``менің атым``, any word) after a cue; a patronymic (``-ович``, ``-овна``, ``-ұлы``,
  ``-қызы``); a surname form (``-ов``, ``-ева``, ``-ин``, ``-ский``, ``-баев`` …) next to another
  capitalised word, or alone mid-sentence; a given name from a short kk/ru/Latin list, in any
  case form (``Данияру``, ``Айгерімге``); a name with initials (``Иванов И.И.``); a pair of
  capitalised Latin words not at a sentence start; in lower case, a surname or patronymic in
  the nominative next to a listed given name (``ерлан нурланов``, ``aigerim nurlanova``); a
  surname made of a listed given name and -ов/-ев, in any case form and case, alone too
  (``нурланову``, ``Нұрлановқа``, ``ерлану нурланову``); a listed given name with a Kazakh
  case ending, in lower case and alone too (``асқарға``, ``айгүлдің``), unless it is also a
  common word (``серікпен``, ``мұратқа``). Legal and domain words (``Закон``, ``Агентство``,
  ``Article``), cities, months, pronouns and the bot's name Adal are never names, and the
  first word of a sentence is a name only when it looks like one.

Not found: a lone surname that starts a sentence (``Петрова подала …``) unless it is made of a
given name, a name written in lower case without a cue unless it is a listed given name with a
surname, such a surname or a Kazakh case form of a listed name (a lone ``асқар``), all-caps
names, a house and a flat shaped as an article's number without a street word in a message
that names a law. Where in doubt
the rules mask: an unknown first word of a sentence followed by a surname is taken for a given
name (``Айсулу Иванова`` -> ``[NAME]``), and a surname after a word for a post or for kin is a
name (``Сосед Иванов`` -> ``Сосед [NAME]``).
``redact`` never raises, and it is idempotent: the passes are repeated until nothing changes,
which only glued-together input (``a@b.kz900101300126``) needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

__all__ = ["PLACEHOLDERS", "iban_valid", "iin_valid", "luhn_valid", "redact"]

PLACEHOLDERS = (
    "[EMAIL]",
    "[URL]",
    "[IBAN]",
    "[CARD]",
    "[PHONE]",
    "[IIN]",
    "[BIN]",
    "[NUMBER]",
    "[USERNAME]",
    "[ADDRESS]",
    "[DATE]",
    "[DOCUMENT]",
    "[PLATE]",
    "[NAME]",
)


# --- check digits ---------------------------------------------------------------------------

_IIN_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def iin_valid(digits: str) -> bool:
    """Whether 12 digits carry a valid IIN/BIN check digit (weights 1..11, then 3..11,1,2).

    >>> iin_valid("900101300126"), iin_valid("900101300127")
    (True, False)
    """
    if len(digits) != 12 or not digits.isdecimal():
        return False
    d = [int(c) for c in digits]
    check = sum(d[i] * (i + 1) for i in range(11)) % 11
    if check == 10:
        check = sum(d[i] * _IIN_WEIGHTS_2[i] for i in range(11)) % 11
        if check == 10:
            return False
    return check == d[11]


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check."""
    if not digits.isdecimal():
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    """Whether a Kazakhstan IBAN (20 characters, spaces ignored) passes the mod-97 check."""
    code = re.sub(r"[\s-]", "", iban).upper()
    if len(code) != 20 or not code.startswith("KZ") or not code.isalnum() or not code.isascii():
        return False
    moved = code[4:] + code[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


# --- links, e-mail, usernames ---------------------------------------------------------------

# "@" and "." also spelled out to dodge robots: "(at)", "[at]", "собака", " dot ", "(точка)";
# a bare " at " only before a mailbox host or a spelled-out dot ("apply at egov.kz" is kept)
_BRACKETED = r"\s*[(\[{{<«]\s*(?:{0})\s*[)\]}}>»]\s*"
_DOT = rf"(?i:{_BRACKETED.format('dot|точка')}|\s+(?:dot|точка)\s+)"
_MAILBOX_HOST = r"(?:g?mail|yandex|ya|inbox|list|bk|rambler|outlook|hotmail|yahoo|icloud|proton)\."
_AT = (
    rf"(?:\s?@\s?|(?i:{_BRACKETED.format('at|собака')}|\s+собака\s+"
    rf"|\s+at\s+(?=[\w-]+{_DOT}|{_MAILBOX_HOST})))"
)
_EMAIL = re.compile(
    rf"(?<![\w.+%-])[\w.+%-]+(?:{_DOT}[\w+%-]+)*{_AT}(?:[\w-]+(?:\.|{_DOT}))+[^\W\d_]{{2,}}"
    r"(?![\w-])"
)
_EMAIL_HINT = re.compile(r"(?i)@|(?<!\w)(?:at|собака)(?!\w)")
_SOCIAL = (
    r"t\.me|telegram\.me|wa\.me|vk\.com|ok\.ru|(?:www\.)?(?:instagram|facebook|linkedin|"
    r"tiktok|twitter|x|youtube|fb)\.com"
)
_URL = re.compile(rf"(?i)(?<![\w@/.])(?:https?://|www\.|(?:{_SOCIAL})/)[^\s<>\"«»]+")
_URL_TRAIL = ".,;:!?)]}'’"
_OFFICIAL_HOST = re.compile(r"(?i)^(?:[\w-]+\.)*(?:gov\.kz|zan\.kz|egov\.kz|akorda\.kz)$")
_USERNAME = re.compile(r"(?<![\w@./])@[A-Za-z][A-Za-z0-9_]{4,31}(?![\w@])")


def _url(match: re.Match[str]) -> str:
    url = match.group()
    tail = ""
    while url and url[-1] in _URL_TRAIL:
        url, tail = url[:-1], url[-1] + tail
    host = re.sub(r"(?i)^(?:https?://)?", "", url).split("/", 1)[0].split(":", 1)[0]
    if _OFFICIAL_HOST.match(host):
        return match.group()
    return "[URL]" + tail


# --- numbers --------------------------------------------------------------------------------

_UNIT = re.compile(
    r"(?i)\s?(?:тенге|теңге|тг|tenge|kzt|₸|руб|rub|\$|usd|долл|dollar|евро|eur|"
    r"мрп|аек|mci|мың|тыс|млн|млрд|million|billion|сом(?!\w))"
)
_UNIT_BEFORE = re.compile(
    r"(?i)(?:[$€₸]|(?<!\w)(?:тенге|теңге|тг|tenge|kzt|руб|rub|сом|usd|долл))\.?\s?$"
)
_IBAN = re.compile(r"(?i)(?<![\w])KZ\d{2}(?:[ -]?[0-9A-Z]){16}(?![\w])")
_CARD = re.compile(
    r"(?<![\w.,-])(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2}[ -]\d{1,4}(?:[ -]\d{1,3})?"
    r"|\d{4}[ -]\d{6}[ -]\d{4,5})(?![\w]|[.,-]\d)"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_SEP = r"(?:[ \u00a0.-]| ?- ?)?"


def _digits(n: int) -> str:
    """``n`` digits with at most one separator between any two."""
    return rf"\d(?:{_SEP}\d){{{n - 1}}}(?!\d)"


_PHONE = re.compile(
    rf"(?<![\dA-Za-z_+.,-])(?P<prefix>\+ ?7|8|7){_SEP}"
    rf"(?:\( ?\d{{3}} ?\){_SEP}{_digits(7)}|\( ?\d{{4}} ?\){_SEP}{_digits(6)}"
    rf"|\( ?\d{{5}} ?\){_SEP}{_digits(5)}|{_digits(10)})"
    # ten digits from 7xx/6xx without a prefix: bracketed, or grouped 3-3-2-2 / 3-3-4 / 3-7
    rf"|(?<![\w+.,-])(?:\( ?[67]\d{{2}} ?\){_SEP}{_digits(7)}|\( ?7\d{{3}} ?\){_SEP}{_digits(6)}"
    rf"|7\d\d[ .-]?\d{{3}}[ .-]?\d\d[ .-]?\d\d(?![\d]))"
    # a local number, 3-2-2 with dashes or dots
    r"|(?<![\w+.,-])\d{3}(?P<s>[-.])\d\d(?P=s)\d\d(?![\w]|[.,-]\d)"
)
# a phone word (not the one in a "[PHONE]" placeholder) and the number after it
_PHONE_WORD = re.compile(
    r"(?i)(?<![\w\[])(?:тел|телефон\w*|phone|tel|mobile|моб|мобильн\w*|сотов\w*|whats ?app|"
    r"вотсап|ватсап|вацап|ұялы|uyaly)(?!\w)[^\d\n\[]{0,20}?"
    r"(?P<num>\+?\(?\d(?:[ ().-]{0,2}\d){4,11})(?![\w]|[.,-]\d)"
)
_ID_WORD = re.compile(r"(?i)(?<!\w)(?:иин|iin|жсн|бин|bin|бсн)(?!\w)")  # an IIN's or a BIN's
_THOUSANDS = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})+")
_LONG = re.compile(r"(?<![\dA-Za-z])\d{10,}(?!\d)")  # not in a Latin code such as K1400000226
_IIN = re.compile(r"(?<!\d)\d{12}(?!\d)")
# One number in groups, in any grouping ("900 101 300 126", "9001013 00123", "9001-0130-0126"):
# masked when it holds 12 digits, unless it is an amount, a round sum or a list of years.
_GROUPED_IIN = re.compile(
    r"(?<![\d.,-])(?<!\d[ \u00a0])\d+(?:[ \u00a0.-]\d+)+(?!\d|[ \u00a0.,-]\d)"
)
_DAY = r"[0-3]?\d\.[01]?\d\.(?:\d\d){1,2}"
_NOT_AN_ID = re.compile(  # years or dates in a row ("2019 2020 2021"), a round sum in thousands
    rf"(?:{_YEAR.pattern}|{_DAY})(?:[ .-](?:{_YEAR.pattern}|{_DAY}))+"
    r"|\d{1,3}(?:[ \u00a0]\d{3})*[ \u00a0]000"
)


def _unit_follows(match: re.Match[str]) -> bool:
    return _UNIT.match(match.string, match.end()) is not None


def _amount(match: re.Match[str]) -> bool:
    """Whether a currency or unit follows the number or a currency precedes it ("$ 1 000")."""
    before = match.string[max(0, match.start() - 8) : match.start()]
    return _unit_follows(match) or _UNIT_BEFORE.search(before) is not None


def _iban(match: re.Match[str]) -> str:
    return "[IBAN]" if iban_valid(match.group()) else "[NUMBER]"


def _card(match: re.Match[str]) -> str:
    text = match.group()
    digits = re.sub(r"\D", "", text)
    if luhn_valid(digits):
        return "[CARD]"
    groups = re.split(r"[ -]", text)
    if len(groups) > 1 and (len(groups) != 4 or all(_YEAR.fullmatch(g) for g in groups)):
        return text  # not card-shaped enough to mask without the check (e.g. a list of years)
    return "[NUMBER]"


def _phone(match: re.Match[str]) -> str:
    text = match.group()
    digits = re.sub(r"\D", "", text)
    if _unit_follows(match) or _THOUSANDS.fullmatch(text):
        return text  # an amount: "77 000 000 000 тенге"
    if len(digits) == 11:
        national = digits[1:]
        if national.startswith("800"):
            return text  # toll-free: an organisation's number
        if national[0] not in "3456789":
            return text
        if match.group("prefix") == "7" and national[0] not in "679":
            return text
    return "[PHONE]"


def _phone_word(match: re.Match[str]) -> str:
    number = match.group("num")
    digits = re.sub(r"\D", "", number)
    if digits[1:4] == "800" or digits.startswith("800") or _unit_follows(match):
        return match.group()
    if _ID_WORD.search(match.string, match.start(), match.start("num")):
        return match.group()  # "phone: none, IIN 900101300126": the IIN's, not a phone's
    start = match.start("num") - match.start()
    return match.group()[:start] + "[PHONE]"


def _id_number(digits: str) -> str:
    """The placeholder for 12 digits: ``[IIN]``/``[BIN]`` by the check digit, else ``[NUMBER]``."""
    if not iin_valid(digits):
        return "[NUMBER]"  # a mistyped IIN is still personal
    return "[BIN]" if digits[4] in "456" else "[IIN]"


def _iin(match: re.Match[str]) -> str:
    return _id_number(match.group())


def _grouped_iin(match: re.Match[str]) -> str:
    text = match.group()
    digits = re.sub(r"\D", "", text)
    if len(digits) != 12 or _amount(match):
        return text
    if not iin_valid(digits) and _NOT_AN_ID.fullmatch(text):
        return text  # "2019 2020 2021", "1.1.2020-1.1.2021", "100 000 000 000"
    return _id_number(digits)


def _long(match: re.Match[str]) -> str:
    return match.group() if _unit_follows(match) else "[NUMBER]"


# A case's or a record's number after a word for one: "уголовное дело № 2051 0001 0012 34",
# «іс №225-1/2024», "case no. 1-23/2024", «ЕРДР 231500031000123». Without a number sign the
# number must hold a slash or five digits in a row, so "іс 380-1 бап" and "case 2" are kept.
_CASE_NUMBER = re.compile(
    r"(?i)(?<!\w)(?:дел[оауе]|делом|іс|ісі|ісін|істі|іске|ісінің|case|docket|ердр|erdr|"
    r"куи|kui|сдтбт?)(?!\w)"
    r"(?P<gap>[\s:]*(?:(?P<sign>№|#|no\.?|nr\.?|номер\w*|нөмір\w*|number)[\s:.]*)?)"
    r"(?P<num>\d+(?:(?: ?[/-] ?|[ \u00a0])\d+)*)(?![\w/-]|[.,]\d)"
)


def _case_number(match: re.Match[str]) -> str:
    number = match.group("num")
    if not (match.group("sign") or "/" in number or re.search(r"\d{5}", number)):
        return match.group()
    if _RANGE_UNIT.match(match.string, match.end()):
        return match.group()  # "іс № 380-1 бабы": an article
    start = match.start("num") - match.start()
    return match.group()[:start] + "[NUMBER]"


# --- names ----------------------------------------------------------------------------------

_UP = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LO = "a-zа-яёәғқңөұүһі"
_CAP = rf"[{_UP}][{_LO}]+(?:-[{_UP}{_LO}][{_LO}]+)*"
_CAP_RE = re.compile(rf"(?<![\w@#/.\-'’]){_CAP}(?![\w@'’]|\.\w)")
_LOW = rf"[{_LO}]{{3,}}(?![\w@])"
_TO_RU = str.maketrans("әғқңөұүһіё", "агкноуухие")
_LATIN_LOOKALIKE = str.maketrans("i", "и")


def _norm(word: str) -> str:
    """Lower case, Kazakh letters written as the Russian ones typed in their place."""
    low = word.lower().translate(_TO_RU)
    if re.search("[а-я]", low):
        low = low.translate(_LATIN_LOOKALIKE)
    return low


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Given names, written as _norm() writes them (Kazakh letters as the Russian ones typed in
# their place, ё as е). A name here is a name alone; one in _GIVEN_PAIR is also an ordinary word
# (Арман "dream", Вера "faith") and counts only next to another capitalised word.
_GIVEN_CYRILLIC = _words("""
    абзал абылай адиль айбар айбек айдар айдос айдын акылбек алибек алихан алмас амангельды
    амир анвар арсен аслан асан асет асхат аскар асылбек асланбек ахмет ахмед бакытжан бауыржан
    бекжан бекзат бекнур бекболат бексултан бейбарыс галымжан дамир данияр даурен дархан диас
    дидар досжан дуйсен дулат еламан ербол ерболат ергали ержан ерканат ерлан ермек ернар ернур
    ерасыл ертай жанболат жандос жанибек жанат жасулан ильяс илияс исламбек кайсар мади марат
    мейржан мурат мухтар нурболат нуржан нурлан нурым олжас оспан омирзак ораз ринат руслан
    рустем сабит самат самгар санжар сакен серик серикжан серикбол сергали талгат тамерлан
    темирлан тимур тлеген толеген токтар турар улан фарид шерхан эльдар ельдар шынгыс
    айгерим айгуль айгул айдана айжан айзада айзере айман айнур айсулу айсана айым акбота
    акерке акмарал акнур алия альмира алтынай анель арайлым аружан аяулым асель асел асем асия
    балауса балжан бибигуль бибигул ботагоз ботакоз гульмира гульнара гульжан гульнур гульсим
    гульшат гульнар гульназ гульзат гульдана гульсара гулшат гулнар гулназ дарига дильназ
    динара жазира жанар жанерке жансая жанна зарина зауре зейнеп индира инкар камила камшат
    кулаш лаура ляззат лаззат мадина малика молдир назерке назгуль назгул назым назира
    нургуль нургул перизат сабина сания сымбат тогжан толганай томирис улбосын улжан улпан
    шынар шолпан эльмира эльвира
    александр алексей анатолий андрей антон аркадий арсений артем артур богдан борис вадим
    валентин валерий василий виктор виталий владимир владислав всеволод вячеслав геннадий
    георгий глеб григорий даниил данил дмитрий денис евгений егор иван игорь ильдар илья
    кирилл константин леонид максим матвей михаил никита николай олег павел петр ростислав
    рустам семен сергей станислав степан святослав тагир тимофей федор филипп эрик юрий
    ярослав эдуард саша дима сережа миша коля паша вова витя леша костя юра
    аделина александра алена алина алла алсу анастасия анна ангелина валентина валерия
    варвара вероника виктория виолетта галина дарья диана диляра екатерина елена елизавета
    есения зинаида злата зоя зульфия инна ирина камилла карина кристина ксения лариса лейла
    лидия луиза людмила маргарита марина мария милана наталья наталия нелли нина оксана ольга
    полина раиса регина руслана светлана снежана софья софия стефания таисия тамара татьяна
    ульяна эмилия юлия яна ярослава катя маша наташа оля таня лена настя
""")
_GIVEN_PAIR = _words("""
    арман максат бакыт бахыт бейбит болат кайрат канат азамат нур даулет ерик жаксылык сагат
    ыкылас багдат галым жарас куаныш мейрам мирас рахат султан темир адил дастан меруерт
    раушан гаухар жулдыз жибек маржан анар сандугаш салтанат сауле умит кымбат карлыгаш дана
    вера надежда любовь роза лилия майя слава света женя марк лев роман ева али алма нурсултан
""")
_GIVEN_LATIN_EXTRA = _words("""
    john michael david james robert mary sarah emma anna maria
""")
_KK_NAME_SHAPE = re.compile(
    r"[а-я]{2,}(?:гуль|гул|бек|бай|жан|хан|гали|кали|тай|нур|сулу|болат|"
    r"мурат)"
)
_TO_LATIN = {
    "а": ("a",),
    "б": ("b",),
    "в": ("v",),
    "г": ("g",),
    "д": ("d",),
    "е": ("e",),
    "ж": ("zh",),
    "з": ("z",),
    "и": ("i",),
    "й": ("y", "i"),
    "к": ("k", "q"),
    "л": ("l",),
    "м": ("m",),
    "н": ("n",),
    "о": ("o",),
    "п": ("p",),
    "р": ("r",),
    "с": ("s",),
    "т": ("t",),
    "у": ("u",),
    "ф": ("f",),
    "х": ("kh", "h"),
    "ц": ("ts",),
    "ч": ("ch",),
    "ш": ("sh",),
    "щ": ("shch",),
    "ъ": ("",),
    "ы": ("y",),
    "ь": ("",),
    "э": ("e",),
    "ю": ("yu",),
    "я": ("ya", "ia"),
}


def _latin(name: str) -> set[str]:
    """Latin spellings of a Cyrillic name: passport practice and the usual variants."""
    spellings = {""}
    for i, letter in enumerate(name):
        options = _TO_LATIN.get(letter, (letter,))
        if letter == "е" and i == 0:
            options = ("e", "ye")
        spellings = {s + o for s in spellings for o in options}
        if len(spellings) > 16:
            spellings = set(sorted(spellings)[:16])
    return spellings


_GIVEN_CYRILLIC = _GIVEN_CYRILLIC | frozenset(n.replace("ль", "л") for n in _GIVEN_CYRILLIC)
_GIVEN = (
    _GIVEN_CYRILLIC
    | _GIVEN_LATIN_EXTRA
    | frozenset(spelling for name in _GIVEN_CYRILLIC for spelling in _latin(name))
)
_GIVEN_PAIR_ALL = _GIVEN_PAIR | frozenset(
    spelling for name in _GIVEN_PAIR for spelling in _latin(name)
)
# Words that are never (part of) a name, written as _norm() writes them. A stem (5 letters or
# more) stands for every word it begins; the short words are listed with their forms.
_STOP_STEMS = tuple(
    sorted(
        _words("""
    закон кодекс конституц постановлен приказ распоряжен регламент правил стать статис пункт
    тармак болим заннам агентств агенттик министерств министр ведомств комитет департамент
    управлен отдел служб кызмет орган акимат акимдик маслихат мажилис сенат парламент
    правительств укимет президент премьер прокурат прокурор полиц антикор сыбайлас жемкор
    коррупц республик казахстан россия российск уголовн кылмыст административн акимшил
    гражданск азаматт государствен мемлекет национальн улттык верховн жогаргы генеральн финанс
    каржы внутрен юстиц налог салык таможн кеден экономич комплаенс совет палат партия самрук
    казына казахтелеком каспи kaspi телеграм вотсап ватсап инстаграм яндекс
    алмат астан шымкент караганд актоб актау атырау тараз павлодар семей костана кызылорд
    уральск петропавл кокшетау талдыкорган туркестан экибастуз темиртау жезказган балхаш
    сатпаев конаев кунаев байконыр байконур жанаозен степногорск усть-камен оскемен
    нур-султан жетысу улытау мангист москв ростов новосибирск ташкент бишкек казан
    кыргыз узбек китай америк европ казах русск алтай хан-шатыр байтерек акорда
    январ феврал апрел август сентябр октябр ноябр декабр кантар акпан наурыз сауир мамыр
    маусым шилде тамыз кыркуйек караша желтоксан понедельник вторник четверг пятниц суббот
    воскресен дуйсенби сейсенби сарсенби бейсенби сенби жексенби
    уважаем коллег друзь команд здравствуй привет спасибо благодар салеметсиз комисс достар
    директор начальник руководител председател заместител депутат следовател инспектор
    сотрудник гражданин гражданк господин госпож мырза ханым товарищ участков бухгалтер
    секретар специалист менеджер водител учител соседк подруг бастык бастыг ариптес
    коршим куйеу
""")
    )
)
_STOP_WORDS = _words("""
    указ указа указе указом бап бабы бабын бабына бабында баптын бапка зан заны заннын занга
    занда заны занын часть части частью глава главы главе главой суд суда суду судом суде суды
    судов сот соты сотка сотта сотын сотына аким акима акиму акимом акиме банк банка банке
    банком банки банков сбер сбербанк гугл бот бота боту ботом адал орал оралда оралга абай
    абая абаю абае аксу рудный рудном рудного омск сша ишки март марта марте май мая мае июнь
    июня июне июль июля июле среда среду среды жума судья судьи судье судьей
    вы вам вас ваш ваша ваше вашего вашей вашу вашим сиз сизге сизди сиздин сиздер добрый
    доброе доброго добрая добрые дорогой дорогая дорогие рахмет салем
    вчера сегодня завтра потом тогда также однако кстати теперь недавно сейчас здесь ранее
    позже почему зачем когда где куда кто что как можно нужно надо если хотя пока мой моя мое
    моего моей мои наш наша наше его ее их этот эта это эти тот там тут все всем кеше бугин
    ертен казир кейин сосын бирак неге калай кашан кайда егер менин бизд онын сол бул бизде
    бизге бизди биздин менде маган мени оган онда оны сизде
    сосед брат сестра отец мать муж жена сын дочь дядя тетя друг врач иним агам апкем акем
    анам улым кызым айелим
    причина половина мужчина женщина машина картина дисциплина глубина середина вина величина
    годовщина старшина тишина ширина доктрина рутина витрина кабина малина пружина дружина
    община вершина равнина низина сердцевина один магазин бензин витамин карантин мандарин
    апельсин керосин жасмин пингвин дельфин мусульманин христианин гражданин горожанин
    крестьянин семьянин готов готова готовы здоров здорова виновна невиновна каков таков основа
    слова снова голова корова остров
    покров улов итогов часов слов документов сотрудников работников специалистов результатов
    вопросов ответов подарков депутатов законов кодексов органов налогов
""")
_STOP_LATIN = _words("""
    i i'm im the a an is are am was were be been can could should would will shall may might
    must do does did what how why when where who whom which whose if in on at for from to of by
    with and but or so also then my our your his her their its it this that these those there
    here yes no not please thanks thank hello hi hey dear ok okay sir madam after before since
    during under according per section part paragraph chapter clause item article art law laws
    act code criminal administrative civil penal labor labour tax service services servant
    servants agency anti corruption anti-corruption ministry minister court courts supreme
    republic kazakhstan kazakh kazakhstani russian russia english government prosecutor
    general office department committee council commission ethics parliament president
    presidential senate mazhilis national bank state police financial monitoring affairs
    internal justice education health finance customs compliance officer officers head chief
    director manager deputy akim akimat judge constitution decree order resolution regulation
    rules human resources public economic security investigation investigative bureau
    university school hospital company llp jsc group holding fund samruk kazyna telegram
    whatsapp instagram google adal bot god allah islam muslim christian orthodox
    almaty astana shymkent karaganda karagandy aktobe aktau atyrau taraz pavlodar semey
    kostanay kyzylorda oral uralsk petropavl kokshetau taldykorgan turkestan ekibastuz
    temirtau nur-sultan abai central asia europe america usa china
    monday tuesday wednesday thursday friday saturday sunday january february march april
    june july august september october november december
    mr mrs ms dr prof new year years eve day christmas easter ramadan nauryz eid holiday
    european asian western eastern southern northern american german korean mexican
    yesterday today tomorrow recently now last next sometimes unfortunately however
    team all everyone everybody guys colleague colleagues friend friends world support admin
    administrator moderator
""")
# Words for a person's post or kin: a surname right after one is a name ("Министр Жумангарин",
# "Сосед Нурпеисов").
_TITLES = tuple(
    sorted(
        _words("""
    участков директор начальник руководител председател заместител депутат судья следовател
    инспектор сотрудник гражданин гражданк господин госпож мырза ханым товарищ коллега министр
    аким президент прокурор mr mrs ms dr prof director minister judge akim officer head chief
    deputy manager president prosecutor
    сосед брат сестр отец мать муж жена сын дочь дяд тет друг подруг врач водител учител
    секретар специалист менеджер бастык бастыг ариптес иним агам апкем акем
""")
    )
)

_PATRONYMIC = re.compile(
    r"(?:[а-я]{2,}(?:ович|евич|ьич)(?:а|у|ем|е)?|[а-я]{2,}(?:овн|евн|ичн)"
    r"(?:а|ы|е|у|ой)|[а-я]{3,}(?:улы|кызы)(?:на|нын|га|мен|ны)?"
    r"|[a-z]{2,}(?:ovich|evich|ovna|evna)|[a-z]{3,}(?:uly|kyzy|qyzy))"
)
_KK_CASE = (
    r"(?:ка|ке|га|ге|тын|тин|нын|нин|ты|ти|ны|ни|та|те|да|де|тан|тен|дан|ден|нан|нен|пен"
    r"|бен|мен|на|не)"
)
_SURNAME = re.compile(
    rf"(?:[а-я]{{3,}}(?:ов|ев|ин|ын)(?:а|у|ым|ом|е|ой|ых|ы|ым)?"
    rf"|[а-я]{{3,}}(?:ов|ев|ин|ын)а?{_KK_CASE}"
    rf"|[а-я]{{2,}}(?:ск|цк)(?:ий|ая|ого|ому|им|ом|ой|ую)|[а-я]{{3,}}енко"
    rf"|[a-z]{{3,}}(?:ov|ova|ev|eva|yev|yeva|ina|enko|sky|skaya|skiy|skii))"
)
_GIVEN_ENDINGS = ("ами", "ой", "ей", "ом", "ем", "ою", "а", "я", "у", "ю", "е", "и", "ы")
_KK_ENDINGS = (
    "нын",
    "нин",
    "дын",
    "дин",
    "тын",
    "тин",
    "мен",
    "бен",
    "пен",
    "дан",
    "ден",
    "тан",
    "тен",
    "нан",
    "нен",
    "га",
    "ге",
    "ка",
    "ке",
    "ды",
    "ди",
    "ты",
    "ти",
    "ны",
    "ни",
    "да",
    "де",
    "та",
    "те",
    "на",
    "не",
)

_STOP, _TITLE, _PATR, _SURN, _GIVEN_NAME, _NAMEISH, _OTHER = range(7)


_STOP_STEM = re.compile("|".join(_STOP_STEMS))


def _is_stop(norm: str) -> bool:
    """A domain word, a place, a month, a pronoun: never (part of) a name."""
    return norm in _STOP_WORDS or norm in _STOP_LATIN or _STOP_STEM.match(norm) is not None


def _in(names: frozenset[str], norm: str) -> bool:
    """Whether ``norm`` is one of ``names`` or a Russian or Kazakh case form of one."""
    if norm in names:
        return True
    for end in _KK_ENDINGS + _GIVEN_ENDINGS:
        if norm.endswith(end) and len(norm) - len(end) >= 3:
            stem = norm[: -len(end)]
            if stem in names or stem + "а" in names or stem + "я" in names or (stem + "й" in names):
                return True
    return False


def _is_given(norm: str) -> bool:
    return _in(_GIVEN, norm)


@lru_cache(maxsize=4096)
def _kind(word: str) -> int:
    """The class of a capitalised word: stop, title, patronymic, given name, surname, other."""
    norm = _norm(word)
    if _is_stop(norm):
        return _TITLE if norm.startswith(_TITLES) else _STOP
    if _PATRONYMIC.fullmatch(norm):
        return _PATR
    if _is_given(norm):
        return _GIVEN_NAME
    if _SURNAME.fullmatch(norm):
        return _SURN
    if _in(_GIVEN_PAIR_ALL, norm) or _KK_NAME_SHAPE.fullmatch(norm):
        return _NAMEISH
    return _OTHER


_ABBREVIATIONS = _words("mr mrs ms dr prof г гг ст см тел т им no art рис п ч")


def _sentence_start(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence (or the text, a line, a quote, a label)."""
    before = text[max(0, start - 64) : start]
    stripped = before.rstrip(" \t\u00a0«\"“„'(—–-•*")
    if not stripped or "\n" in before[len(stripped) :]:
        return True
    if stripped[-1] in "!?…:;\n":
        return True
    if stripped[-1] == ".":
        word = re.search(r"(\w+)\.$", stripped)
        return not (word and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREVIATIONS))
    return False


_STRONG_CUE = (
    r"меня\s+зовут|мо[её]\s+имя|менің\s+(?:атым|есімім)|есімім|my\s+name\s+is|"
    r"my\s+name's"
)
_CUE = re.compile(
    rf"(?i:(?<!\w)(?P<strong>{_STRONG_CUE})|(?<!\w)(?:зовут|атым|имя|фамилия|моя\s+фамилия|фио|"
    r"тегім|аты-жөнім|(?P<weak>i\s+am|i'm|this\s+is)|с\s+уважением|құрметпен|(?:best\s+|kind\s+)?regards|"
    r"sincerely|здравствуйте|привет|добрый\s+(?:день|вечер)|доброе\s+утро|сәлеметсіз\s+бе|"
    r"сәлем|hello|hi|dear|уважаем(?:ый|ая)|құрметті|mr|mrs|ms|dr|г-н|г-жа|я\s*[—–-])(?!\w))"
    rf"[\s,:—–.-]*(?P<name>{_CAP}(?:[ \u00a0]+{_CAP}){{0,2}}(?![\w@])"
    rf"|(?(strong)(?P<low>{_LOW})|(?!)))"
)
_SELF = re.compile(rf"(?i:(?<!\w)(?:я|мен|i)(?!\w))[ \u00a0,]+(?P<name>{_CAP})(?![\w@])")
_INITIALS = rf"[{_UP}]\.[ \u00a0]?(?:[{_UP}]\.)?"
_WITH_INITIALS = (  # "Иванов И.И.", "И.И. Иванов"
    re.compile(rf"(?<![\w.])(?P<name>{_CAP})[ \u00a0]+{_INITIALS}(?!\w)"),
    re.compile(rf"(?<![\w.]){_INITIALS}[ \u00a0]?(?P<name>{_CAP})(?![\w@])"),
)
_NATIONALITY = re.compile(r"(?:ian|ese|ish|ic)$")
_FUNCTION_WORDS = _words("""
    на в во к ко с со у для по от о об и а но не ни что как это так тут там сюда куда зачем
    почему туда обратно замуж домой везде также тоже все всех же уже ещё еще the a an not to
    in on at for be ол бұл мен сен сіз біз емес жоқ иә бар үшін
""")


def _lowercase_name(text: str, match: re.Match[str]) -> bool:
    """Whether a lower-case word after a strong cue is a name ("меня зовут ольга, …")."""
    word = match.group("low")
    if _is_given(_norm(word)):
        return True
    if word in _FUNCTION_WORDS or word.endswith(("ть", "ться", "ти")):
        return False  # "меня зовут работать", "меня зовут туда же"
    return re.match(r"\s*(?:$|[,.!?;:)\n]|(?:я|мен|i)\s)", text[match.end("low") :]) is not None


_WORD = re.compile(r"\w+")
_NEXT_LOW = re.compile(rf"[ \u00a0]+({_LOW})")
_CUE_FIRST = _words("""
    меня мое моё менің есімім my зовут атым имя фамилия моя фио тегім аты i this с құрметпен
    best kind regards sincerely здравствуйте привет добрый доброе сәлеметсіз сәлем hello hi dear
    уважаемый уважаемая құрметті mr mrs ms dr г я
""")
_SELF_FIRST = _words("я мен i")
_INITIAL_HINT = re.compile(rf"(?<![\w.])[{_UP}]\.")


def _cue_spans(text: str) -> list[tuple[int, int]]:
    """Names announced by a cue, given with initials, or after "я"/"мен" when name-shaped."""
    spans: list[tuple[int, int]] = []
    for word in _WORD.finditer(text):
        first = word.group().lower()
        if first in _CUE_FIRST:
            match = _CUE.match(text, word.start())
            if match:
                spans.extend(_cue_span(text, match))
        if first in _SELF_FIRST:
            match = _SELF.match(text, word.start())
            if match and _kind(match.group("name")) in (_PATR, _SURN, _GIVEN_NAME):
                spans.append(match.span("name"))
    if _INITIAL_HINT.search(text):
        for pattern in _WITH_INITIALS:
            for match in pattern.finditer(text):
                if _kind(match.group("name")) not in (_STOP, _TITLE):
                    spans.append(match.span())
    return spans


def _cue_span(text: str, match: re.Match[str]) -> list[tuple[int, int]]:
    """The name after a cue: up to three capitalised words, or one lower-case word."""
    if match.group("low") is not None:
        if not _lowercase_name(text, match):
            return []
        # and the surname or patronymic after it, also in lower case
        return [(match.start("low"), _family_tail(text, match.end("low")))]
    start = end = match.start("name")
    weak = match.group("weak") is not None
    for word in _CAP_RE.finditer(text, start, match.end("name")):
        kind = _kind(word.group())
        if kind in (_STOP, _TITLE) or (
            weak and kind == _OTHER and _NATIONALITY.search(word.group())
        ):
            break
        end = word.end()
    return [(start, end)] if end > start else []


def _family_tail(text: str, end: int) -> int:
    """The end of the lower-case surnames and patronymics that follow ``end`` ("… серикович")."""
    while (more := _NEXT_LOW.match(text, end)) and _kind(more.group(1)) in (_SURN, _PATR):
        end = more.end()
    return end


# A surname or patronymic typed in lower case, in the nominative: one of these endings, and
# next to a given name of the list, also in the nominative ("ерлан нурланов", "нурланов
# ерлан", "aigerim nurlanova"). Kazakh accusatives such as «көлігін», «ақшасын» are no surnames.
_LOW_SURNAME = re.compile(
    rf"(?<![\w@#/.\-'’])[{_LO}]{{3,}}(?:ов|ова|ев|ева|ёв|ёва|ин|ина|улы|ұлы|кызы|қызы|ович|евич|"
    rf"овна|евна|ov|ova|ev|eva|ina|uly|kyzy|qyzy|ovich|evich|ovna|evna)(?![\w@'’])"
)
_WORD_BEFORE = re.compile(rf"(?<![\w@#/.\-'’])([{_UP}{_LO}][{_LO}]{{2,}})[ \u00a0]+$")


# A surname made of a listed given name and -ов/-ев, in any case form ("нурланову",
# «нұрлановқа», "Асқаровтың"): a name in lower case too, alone and opening a sentence, as no
# ordinary word is so made («голову», «деловой», «основе» are not).
_GIVEN_SURNAME = re.compile(rf"(?P<stem>[а-я]{{3,}})(?:ов|ев)(?:а|у|ым|ом|е|ой|ых|ы|а?{_KK_CASE})?")
_ANY_WORD = re.compile(rf"(?<![\w@#/.\-'’])[{_UP}{_LO}][{_LO}]{{4,}}(?![\w@'’])")


def _given_surname(word: str) -> bool:
    """Whether ``word`` is a surname made of a listed given name (see _GIVEN_SURNAME)."""
    match = _GIVEN_SURNAME.fullmatch(_norm(word))
    return match is not None and match.group("stem") in _GIVEN_CYRILLIC


# A listed given name with a Kazakh case ending is a name in lower case and alone too
# («асқарға», «айгүлдің», «нұрланға берді»), unless the name is also an ordinary Kazakh word
# whose case forms are common («серікпен» "with a partner", «мұратқа» "to the goal").
_GIVEN_KK_FORM = re.compile(rf"(?P<stem>[а-я]{{3,}})(?:{'|'.join(_KK_ENDINGS)})")
_GIVEN_ALSO_WORDS = _words("""
    серик мурат ермек даурен амир сымбат айдын ляззат лаззат асем молдир жанар кулаш алмас
    дархан кайсар турар шынар инкар назым нурым айым камшат жазира балауса улан айбар
""")


def _given_case_form(word: str) -> bool:
    """Whether ``word`` is a listed given name with a Kazakh case ending (see _GIVEN_KK_FORM)."""
    match = _GIVEN_KK_FORM.fullmatch(_norm(word))
    return (
        match is not None
        and match.group("stem") in _GIVEN_CYRILLIC
        and match.group("stem") not in _GIVEN_ALSO_WORDS
    )


def _lowercase_spans(text: str) -> list[tuple[int, int]]:
    """Names in lower case: a surname or patronymic next to a given name ("ерлан нурланов"),
    and a surname made of a given name in any case form, with a given name next to it in any
    case form ("ерлану нурланову")."""
    spans: list[tuple[int, int]] = []
    for match in _LOW_SURNAME.finditer(text):
        if _kind(match.group()) not in (_SURN, _PATR):
            continue  # a stop word: «готов», «один»
        before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
        after = _NEXT_LOW.match(text, match.end())
        if before and _norm(before.group(1)) in _GIVEN:
            spans.append((before.start(1), _family_tail(text, match.end())))
        elif after and _norm(after.group(1)) in _GIVEN:
            spans.append((match.start(), _family_tail(text, after.end())))
    for match in _ANY_WORD.finditer(text):
        if not (_given_surname(match.group()) or _given_case_form(match.group())):
            continue
        before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
        after = _NEXT_LOW.match(text, match.end())
        start = before.start(1) if before and _is_given(_norm(before.group(1))) else match.start()
        end = after.end() if after and _is_given(_norm(after.group(1))) else match.end()
        spans.append((start, _family_tail(text, end)))
    return spans


def _run_spans(text: str) -> list[tuple[int, int]]:
    """Name spans among runs of capitalised words."""
    spans: list[tuple[int, int]] = []
    runs: list[list[re.Match[str]]] = []
    for word in _CAP_RE.finditer(text):
        if runs and re.fullmatch(r"[ \u00a0]+", text[runs[-1][-1].end() : word.start()]):
            runs[-1].append(word)
        else:
            runs.append([word])
    for run in runs:
        kinds = [_kind(word.group()) for word in run]
        initial = _sentence_start(text, run[0].start())
        segment: list[int] = []
        after: int | None = None  # kind of the stop word before the segment, if any
        for i in [*range(len(run)), len(run)]:
            if i < len(run) and kinds[i] not in (_STOP, _TITLE):
                segment.append(i)
                continue
            if segment:
                span = _segment(run, kinds, segment, initial and segment[0] == 0, after)
                if span:
                    spans.append(span)
            segment = []
            if i < len(run):
                after = kinds[i]
    return spans


def _segment(
    run: list[re.Match[str]], kinds: list[int], segment: list[int], initial: bool, after: int | None
) -> tuple[int, int] | None:
    """The span of a name among the words ``segment`` of ``run`` (no stop word among them).

    ``initial``: the segment opens a sentence; ``after``: the kind of the stop word before it.
    """
    if (
        initial
        and kinds[segment[0]] == _OTHER
        and not (
            (len(segment) > 1 and kinds[segment[1]] in (_SURN, _PATR))
            or (len(segment) > 2 and kinds[segment[2]] == _PATR)
        )
    ):
        segment = segment[1:]  # a sentence's first word, unless a surname or patronymic follows
        initial = False
    if not segment:
        return None
    found = {kinds[i] for i in segment}
    span = (run[segment[0]].start(), run[segment[-1]].end())
    if found & {_PATR, _GIVEN_NAME}:
        return span
    if _SURN in found:
        if len(segment) > 1 or (not initial and after in (None, _TITLE)):
            return span
        return None
    if _NAMEISH in found and len(segment) > 1:
        return span
    latin = all(run[i].group().isascii() for i in segment)
    if latin and 1 < len(segment) <= 3 and not initial and after in (None, _TITLE):
        return span
    return None


def _names(text: str) -> str:
    """``text`` with every name span, merged with its neighbours, replaced by ``[NAME]``."""
    spans = sorted(_cue_spans(text) + _run_spans(text) + _lowercase_spans(text))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and (
            start <= merged[-1][1] or re.fullmatch(r"[ \u00a0]+", text[merged[-1][1] : start])
        ):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + "[NAME]" + text[end:]
    return text


# --- documents, plates, birth dates, addresses ----------------------------------------------

_DOCUMENT = re.compile(
    r"(?i)(?<!\w)(?:паспорт\w*|удостоверени\w*|уд\.? ?(?:л\.?|личн\w*)|жеке куәлі\w*|куәлі\w*|"
    r"passport|(?:national )?id(?: card)?|identity card|водительск\w* прав\w*|права|"
    r"свидетельств\w*)(?!\w)"
    # the document's kind between the cue and the number: "удостоверение личности №…"
    r"(?P<gap>(?:\s+(?:личност\w*|личн\.))?"
    r"[\s:№#.-]*(?:номер\w*|нөмір\w*|no\.?|number|серии)?[\s:№#.-]*)"
    r"(?P<num>(?<![\w])[A-ZА-Я]{0,2}[ ]?\d(?:[ -]?\d){5,11})(?![\w])"
)
_PLATE = re.compile(r"(?<![\w\[])\d{3}[ ]?[A-ZАВЕКМНОРСТХ]{2,3}[ ]?\d{2}(?![\w])")
_MONTHS = (
    r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр|"
    r"қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?"
)
_YEAR_WORD = r"(?:\s*(?:г\.|года?|гг?\b|ж\.|жылы?|year))?"
_DATE = (
    rf"(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}(?:-?(?:го|ші|шы|th|st|nd|rd))?\s+{_MONTHS}(?:\s+\d{{4}}{_YEAR_WORD})?"
    rf"|\d{{4}}{_YEAR_WORD}\s+\d{{1,2}}(?:-?(?:ші|шы))?\s+{_MONTHS}"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?)"
)
_BIRTH = re.compile(
    r"(?i)(?<!\w)(?:родил(?:ся|ась|и)|дата рождения|год рождения|д\. ?р\.|туған|туылған|"
    r"туған күн\w*|born|date of birth|dob|birth date)(?!\w)"
    rf"(?P<gap>[^\d\n\[]{{0,12}}?)(?P<date>(?<!\d){_DATE})(?!\d)"
)
_STREET_WORD = (
    rf"(?:(?:ул|пр)(?:\.|(?-i:(?=\s+[{_UP}])))|улица|улице|улицу|пр-т|просп\.|проспект\w*|пер\.|"
    r"переул\w*|б-р|бульвар\w*|мкр\.?|микрорайон\w*|шоссе|street|st\.|avenue|ave\.)"
)
_KK_STREET_WORD = (
    r"(?:көшесі\w*|көш\.|даңғылы\w*|даң\.|шағын ?ауданы\w*|ықшам ?ауданы\w*|мөлтек ?ауданы\w*|"
    r"мкр\.?|микрорайон\w*|street|st\.|avenue|ave\.|boulevard|blvd\.?|microdistrict)"
)
# the lower-case words of a street's name ("Кабанбай батыра", "Төле би", "Абылай хана")
_STREET_LOW = r"(?:батыр\w*|би|бия|хана?|ата|ана|жырау|ақын\w*|акын\w*)(?!\w)"
_STREET_NAME = rf"(?:[{_UP}\d][\w.-]*)(?:[ ](?:[{_UP}][\w.-]*|{_STREET_LOW})){{0,2}}"  # "8 Марта"
_HOUSE_FLAT = r"\d{1,4}[a-zа-я]?[/-]\d{1,4}(?![\w/-]|[.,]\d)"  # "10-25", "55/20", not "380-1-бап"
_HOUSE = (
    r"(?:,?\s*(?:д\.|дом|үй|house)?\s*№?\s*\d{1,4}[a-zа-я]?(?:[/-]\d{1,4})?(?!\d)"
    r"(?:\s*(?:үй|дом)(?!\w))?)"
)
_WORDED_HOUSE = r"(?:,?\s*(?:д\.|дом|үй|house)\s*№?\s*\d{1,4}[a-zа-я]?(?!\d))"  # "Самал 2, дом 5"
_FLAT = (
    r"(?:,?\s*(?:кв\.?|квартира|пәтер|apt\.?|apartment|flat)\s*№?\s*\d{1,4}(?!\d)(?:\s*пәтер)?"
    r"|,?\s*\d{1,4}\s*пәтер)"
)
# a street is masked with the number of a house or a flat: "near Abai avenue" is a place; a
# capitalised name without a word for a street only with a house and a flat ("Абая 10-25")
_ADDRESS = re.compile(
    rf"(?i:(?<!\w){_STREET_WORD})\s*{_STREET_NAME}(?:{_HOUSE}{_WORDED_HOUSE}?{_FLAT}?|{_FLAT})"
    rf"|(?<![\w])(?:\d{{1,4}}[a-z]?\s+{_STREET_NAME}\s+(?i:{_KK_STREET_WORD})(?!\w)"
    rf"(?:{_HOUSE}?{_FLAT}?)|{_STREET_NAME}\s+(?i:{_KK_STREET_WORD})(?!\w)(?:{_HOUSE}{_FLAT}?|{_FLAT}))"
    rf"|(?i:(?<!\w)(?:кв\.?|квартира|apt\.?|apartment|flat)\s*№?\s*\d{{1,4}}(?!\d)"
    rf"|(?<![\w,])\d{{1,4}}\s*пәтер\w*)"
    rf"|(?<![\w.-])(?P<bare>{_CAP}(?:[ ](?:{_CAP}|{_STREET_LOW})){{0,2}})"
    rf"[ ]+(?P<numbers>{_HOUSE_FLAT})"
)
# Capitalised words before a pair of numbers that make it no house and flat: a law's article
# ("Статья 412-1"), a page, a class, a month or a weekday ("Мая 1-9", "Вторник 10-12").
_NOT_A_STREET = re.compile(
    r"(?:стать|пункт|част|глав|бап|баб|тармак|закон|зан|кодекс|указ|приказ|постанов|раздел|"
    r"section|chapter|clause|paragraph|article|page|страниц|таблиц|table|form|приложен|annex|"
    r"appendix|номер|number|класс|сынып|курс|групп|group|кабинет|room|этаж|кабат|возраст|рейс|"
    r"flight|верси|version|statist|статист|январ|феврал|март|апрел|июн|июл|август|сентябр|"
    r"октябр|ноябр|декабр|кантар|акпан|наурыз|сауир|мамыр|маусым|шилде|тамыз|кыркуйек|караша|"
    r"желтоксан|january|february|march|april|june|july|september|october|november|december|"
    r"понедельн|вторник|сред|четверг|пятниц|суббот|воскресен|дуйсенби|сейсенби|сарсенби|"
    r"бейсенби|жума|сенби|жексенби|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\w*"
    r"|ст|п|пп|ч|art|стр|рис|бет|no|май|мая|may|казан|age|ages|жас|in|on|at|from|to|by|for|"
    r"с|со|по|от|до|в|на|за|и"
)
# what after the pair makes it a range ("18-25 лет", "10-15%", "2-3 раза") or a law's article
# ("380-1 бабы", "412-1 УК") rather than a house and a flat
_RANGE_UNIT = re.compile(
    r"(?i)\s?(?:%|ст\.|п\.|ч\.|(?:лет|год|жыл|жас|year|месяц|day|дн|күн|час|сағат|минут|раз|рет|"
    r"бап|баб|тармақ|бөлім|тарау|стать|пункт|част|кодекс|закон|заң)\w*"
    r"|(?:ай|айы|шт|кг|км|мин|ук|коап|қк|әқбтк)(?!\w))"
)

_ARTICLE_NUMBER = re.compile(r"\d{3}-\d")  # the shape of a code's article: "380-1", "412-1"
# a word for an article, a code or a law: with one in the message, that shape is an article
_LAW_WORD = re.compile(
    r"(?i)(?<!\w)(?:стать\w*|ст|бап\w*|баб\w*|тармақ\w*|кодекс\w*|ук|қк|кк|коап|әқбтк|"
    r"закон\w*|заң\w*|article\w*|art|code|law\w*)(?!\w)"
)


def _address(match: re.Match[str]) -> str:
    """``[ADDRESS]``, unless a bare name and a pair of numbers are no street, house and flat."""
    if match.group("bare") is None:
        return "[ADDRESS]"
    numbers = re.findall(r"\d+", match.group("numbers"))
    if (
        any(_NOT_A_STREET.fullmatch(_norm(word)) for word in match.group("bare").split())
        or all(_YEAR.fullmatch(number) for number in numbers)
        or (_ARTICLE_NUMBER.fullmatch(match.group("numbers")) and _LAW_WORD.search(match.string))
        or _unit_follows(match)
        or _RANGE_UNIT.match(match.string, match.end())
    ):
        return match.group()
    return "[ADDRESS]"


def _document(match: re.Match[str]) -> str:
    start = match.start("num") - match.start()
    return match.group()[:start] + "[DOCUMENT]"


def _birth(match: re.Match[str]) -> str:
    start = match.start("date") - match.start()
    return match.group()[:start] + "[DATE]"


# --- the pipeline ---------------------------------------------------------------------------

_Sub = Callable[[str], str]
_DIGIT_RUN = re.compile(r"\d(?:[ ().\u00a0-]{0,2}\d){4}")  # 5 digits close together


def _sub(
    pattern: re.Pattern[str],
    repl: str | Callable[[re.Match[str]], str],
    hint: Callable[[str], bool],
) -> _Sub:
    """A pass of ``pattern.sub(repl)``, skipped when the cheap ``hint`` says it cannot match."""
    return lambda text: pattern.sub(repl, text) if hint(text) else text


def _has_digits(text: str) -> bool:
    return _DIGIT_RUN.search(text) is not None


def _any_digit(text: str) -> bool:
    """Whether ``text`` has a digit: a plate, a birth date and an address all hold one."""
    return any(c.isdigit() for c in text)


def _names_hint(text: str) -> bool:
    return (
        _CAP_RE.search(text) is not None
        or _CUE_HINT.search(text) is not None
        or _LOW_SURNAME.search(text) is not None
        or _SURNAME_HINT.search(text) is not None
        or _KK_CASE_HINT.search(_norm(text)) is not None
    )


_CUE_HINT = re.compile(r"(?i)зовут|имя|атым|есім|name\s+is")
_SURNAME_HINT = re.compile(r"[оеё]в")  # a surname made of a given name (_GIVEN_SURNAME)
_KK_CASE_HINT = re.compile(rf"[а-я]{{3}}(?:{'|'.join(_KK_ENDINGS)})(?!\w)")  # _GIVEN_KK_FORM
_PASSES: tuple[_Sub, ...] = (
    _sub(_EMAIL, "[EMAIL]", lambda text: _EMAIL_HINT.search(text) is not None),
    _sub(_URL, _url, lambda text: "/" in text or "www." in text.lower()),
    _sub(_IBAN, _iban, lambda text: "kz" in text.lower()),
    _sub(_CASE_NUMBER, _case_number, _any_digit),
    _sub(_CARD, _card, _has_digits),
    _sub(_PHONE, _phone, _has_digits),
    _sub(_PHONE_WORD, _phone_word, _has_digits),
    _sub(_IIN, _iin, _has_digits),
    _sub(_GROUPED_IIN, _grouped_iin, _has_digits),
    _sub(_LONG, _long, _has_digits),
    _sub(_USERNAME, "[USERNAME]", lambda text: "@" in text),
    _sub(_DOCUMENT, _document, _has_digits),
    _sub(_PLATE, "[PLATE]", _any_digit),
    _sub(_BIRTH, _birth, _any_digit),
    _sub(_ADDRESS, _address, _any_digit),
    lambda text: _names(text) if _names_hint(text) else text,
)


def _once(text: str) -> str:
    """One round of every pass, in order."""
    for step in _PASSES:
        text = step(text)
    return text


def redact(text: str) -> str:
    """Return ``text`` with personal data replaced by placeholders (see the module docstring).

    Runs the passes until nothing changes (at most four rounds), so the result is a fixed point:
    ``redact(redact(x)) == redact(x)``.
    """
    for _ in range(4):
        new = _once(text)
        if new == text:
            break
        text = new
    return text
