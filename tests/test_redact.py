"""Tests of bot.redact: each kind of personal data in kk/ru/en, clean domain questions, properties.

Every number here is made up: the IINs, cards and IBANs were built to pass their checks.
"""

from __future__ import annotations

import doctest
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bot.redact
from bot.redact import PLACEHOLDERS, iban_valid, iin_valid, luhn_valid, redact


def test_doctests() -> None:
    assert doctest.testmod(bot.redact).failed == 0


# --- check digits ---------------------------------------------------------------------------


def test_iin_check_digit() -> None:
    assert iin_valid("900101300126")  # first pass
    assert iin_valid("900101300811")  # first pass gives 10, second pass gives 1
    assert not iin_valid("900101300127")
    # both passes give 10: no check digit makes the number valid
    assert not any(iin_valid(f"90010130080{d}") for d in range(10))
    assert not iin_valid("90010130012")
    assert not iin_valid("90010130012a")
    assert not iin_valid("90010130012²")  # isdigit() but not a decimal digit
    assert iin_valid("９００１０１３００１２６")  # full-width digits are digits


def test_luhn_and_iban() -> None:
    assert luhn_valid("4400430100123451")
    assert not luhn_valid("4400430100123452")
    assert not luhn_valid("44004301001234²")
    assert iban_valid("KZ76125KZT1001300123")
    assert iban_valid("kz18 722s 0000 1234 5678")
    assert not iban_valid("KZ77125KZT1001300123")
    assert not iban_valid("KZ76125KZT100130012")


# --- IIN / BIN ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мой ИИН 900101300126, можно анонимно?", "Мой ИИН [IIN], можно анонимно?"),
        ("ЖСН: 851205401236. Арыз қалай жазамын?", "ЖСН: [IIN]. Арыз қалай жазамын?"),
        ("My IIN is 010607603451.", "My IIN is [IIN]."),
        ("иин900101300811 тексеріңіз", "иин[IIN] тексеріңіз"),
        ("БИН нашего ТОО 151150123451", "БИН нашего ТОО [BIN]"),
        ("The company's BIN is 080640001231", "The company's BIN is [BIN]"),
        ("ИИН 900 101 300 126 можно ли", "ИИН [IIN] можно ли"),  # in groups, as on a card
        ("ИИН 9001-0130-0126", "ИИН [IIN]"),
        ("штраф 100 000 000 000 тенге", "штраф 100 000 000 000 тенге"),  # an amount stays
    ],
)
def test_iin_bin(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("справка о несудимости ИИН 900 101 300 123", "справка о несудимости ИИН [NUMBER]"),
        ("справка, ИИН: 9001013 00123", "справка, ИИН: [NUMBER]"),
        ("ИИН: 9001013 00126", "ИИН: [IIN]"),
        ("жсн 90-01-01-30-01-26", "жсн [IIN]"),
        ("IIN 9001.0130.0123 please", "IIN [NUMBER] please"),
        ("БИН 1511 5012 3451", "БИН [BIN]"),
        ("ИИН 9 0 0 1 0 1 3 0 0 1 2 3.", "ИИН [NUMBER]."),
        ("ИИН 900 101 300 123, тел. 8 701 123 45 67", "ИИН [NUMBER], тел. [PHONE]"),
    ],
)
def test_iin_in_any_grouping(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Взятка 900 101 300 123 тг — это сколько лет?",
        "ущерб $ 900 101 300 123",
        "KZT 900 101 300 123 похитили",
        "900 101 300 123 сом",
        "900 101 300 126 тенге",  # a valid check digit, but an amount
        "бюджет 100 000 000 000 на закупки",
        "в 120 500 000 000 обошлось",
        "1 500 000 tenge, 2 000 000 и 100 000 тенге",
        "Statistics for 2019 2020 2021",
        "в 2019-2020-2021 годах",
        "с 1.1.2020-1.1.2021 по закону № 410-V и 365-VI",
        "ст. 412-1 и 380-1 за 2020 год",
    ],
)
def test_grouped_amounts_years_and_law_numbers_are_kept(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "My name is Aigul Serikova, phone 87011234567, IIN 900101400123. My manager at "
            "akimat Almaty is my uncle Bolat Serikov. What to do?",
            "My name is [NAME], phone [PHONE], IIN [NUMBER]. My manager at akimat Almaty is my "
            "uncle [NAME]. What to do?",
        ),
        ("phone 87011234567, IIN 900101300126", "phone [PHONE], IIN [IIN]"),
        ("тел. 8 701 123 45 67, ИИН 900101300126", "тел. [PHONE], ИИН [IIN]"),
        ("Телефон: 87011234567, ЖСН 900101300126", "Телефон: [PHONE], ЖСН [IIN]"),
        ("телефон жоқ, ЖСН 900101300126", "телефон жоқ, ЖСН [IIN]"),
        ("phone: none, IIN 900101300126", "phone: none, IIN [IIN]"),
        ("ИИН 900101400123", "ИИН [NUMBER]"),
        ("ЖСН 900101400123", "ЖСН [NUMBER]"),
        ("900101300126", "[IIN]"),
        ("WhatsApp 87011234567", "WhatsApp [PHONE]"),
    ],
)
def test_an_iin_after_a_phone_is_no_phone(text: str, expected: str) -> None:
    """A probe: "phone 87011234567, IIN 900101400123" showed "IIN [PHONE]" to the experts:
    the "PHONE" of the placeholder just written was read as a phone word. An IIN keeps its
    own label ([IIN]; [NUMBER] for one whose check digit fails, as 900101400123's does)."""
    assert redact(text) == expected


def test_iin_with_wrong_check_digit_is_still_masked_as_a_number() -> None:
    # Choice: only a valid check digit earns [IIN]; a 12-digit run that fails it is most likely
    # a mistyped IIN, still personal, so it is masked as [NUMBER] like any run of 10+ digits.
    assert redact("ИИН 900101300127 (опечатка)") == "ИИН [NUMBER] (опечатка)"
    assert redact("жсн 900101300805") == "жсн [NUMBER]"


def test_long_digit_runs_but_not_amounts() -> None:
    assert redact("номер дела 1234567890123") == "номер дела [NUMBER]"
    assert redact("бюджет 1000000000 тенге") == "бюджет 1000000000 тенге"


# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "+7 701 123 45 67",
        "+7(777)9876543",
        "+77015556677",
        "+7-775-404-40-40",
        "+7 (727) 250-12-34",
        "+7 (7212) 41-22-33",
        "8 747 555-12-34",
        "8-702-111-22-33",
        "8.700.100.20.30",
        "87051234567",
        "8 (7172) 55-66-77",
        "8(701)2223344",
        "8 775 4044040",
        "77011234567",
        "(701) 765 43 21",
        "705 111 22 33",
        "250-33-44",
    ],
)
def test_phone_formats(phone: str) -> None:
    assert redact(f"Позвоните: {phone}, хочу сообщить.") == "Позвоните: [PHONE], хочу сообщить."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("менің нөмірім 8 747 555-12-34, хабарласыңызшы", "менің нөмірім [PHONE], хабарласыңызшы"),
        ("Call me at +7 747 900 1122 after work", "Call me at [PHONE] after work"),
        ("тел. 55-66-77", "тел. [PHONE]"),
        ("тел87011234567", "тел[PHONE]"),
        ("WhatsApp: 8 701 123 45 67 2 раза звонила", "WhatsApp: [PHONE] 2 раза звонила"),
    ],
)
def test_phones_in_sentences(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Куда звонить: 1424 или 115?",
        "Телефон доверия 1424, полиция 102, скорая 103",
        "Тел. доверия 8 800 080 14 24 работает круглосуточно?",
        "Бюджет 77 000 000 000 тенге — кто проверяет?",
        "80 000 000 000 тенге похитили?",
    ],
)
def test_not_phones(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("мой иин 870412 300123", "мой иин [NUMBER]"),  # a mistyped IIN in two groups of six
        ("Номер машины 777ABC02, к кому идти?", "Номер машины [PLATE], к кому идти?"),
        ("госномер 123 AB 01", "госномер [PLATE]"),
        (
            "паспорт N12345678, удостоверение 045612378",
            "паспорт [DOCUMENT], удостоверение [DOCUMENT]",
        ),
        ("жеке куәлік нөмірі 041234567", "жеке куәлік нөмірі [DOCUMENT]"),
        ("my ID card no. 123456789", "my ID card no. [DOCUMENT]"),
        ("родился 12.04.1987, работаю в акимате", "родился [DATE], работаю в акимате"),
        ("родилась 5 марта 1985 г.", "родилась [DATE]"),
        ("Туған күнім 1990 жылы 12 наурыз", "Туған күнім [DATE]"),
        ("I was born on May 3, 1990.", "I was born on [DATE]."),
        ("Живу: г. Астана, ул. Кенесары 40, кв. 12.", "Живу: г. Астана, [ADDRESS]."),
        ("пр. Абая 150/1", "[ADDRESS]"),
        ("мкр. Самал-2, д. 5", "[ADDRESS]"),
        ("Мекенжайым: Абай көшесі 15 үй, 3 пәтер.", "Мекенжайым: [ADDRESS]."),
        ("I live at 12 Abai street, apt 5", "I live at [ADDRESS]"),
        ("квартира 45, соседи слышали", "[ADDRESS], соседи слышали"),
    ],
)
def test_documents_plates_birth_dates_addresses(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "When can I retire? I'm a woman born in 1968",  # a year alone is kept
        "закон от 18.10.2020 № 365-VI вступил в силу?",  # no birth word: a law's date
        "The police stopped me on Abay avenue and asked for my passport.",  # a place
        "подрядчик ремонтирует школу в мкр Кокжиек",
        "Someone took a microcredit with my ID photo, 150 000 tenge.",
        "штраф 100 МРП 10 раз подряд?",
        "A road contractor left a box of cognac in my office",
    ],
)
def test_places_years_and_amounts_are_kept(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("удостоверение личности 045678912 потерял", "удостоверение личности [DOCUMENT] потерял"),
        ("уд. личности №045678912", "уд. личности №[DOCUMENT]"),
        ("номер удостоверения личности: 045678912", "номер удостоверения личности: [DOCUMENT]"),
        ("жеке куәлігім 045678912 жоғалды", "жеке куәлігім [DOCUMENT] жоғалды"),
        ("паспорт N12345678", "паспорт [DOCUMENT]"),
        ("my ID card 045678912 was stolen", "my ID card [DOCUMENT] was stolen"),
        ("identity card 045678912", "identity card [DOCUMENT]"),
    ],
)
def test_identity_document_numbers(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("живу г. Астана, пр. Кабанбай батыра 11", "живу г. Астана, [ADDRESS]"),
        ("ул Абая 10", "[ADDRESS]"),
        ("ул. Абая 10-25, соседи", "[ADDRESS], соседи"),
        ("Абая 10-25", "[ADDRESS]"),
        ("Астана, Мангилик Ел 55/20", "Астана, [ADDRESS]"),
        ("мой адрес Төле би 59/3, приходите", "мой адрес [ADDRESS], приходите"),
        ("I live at Abai st. 10", "I live at [ADDRESS]"),
        ("Абай даңғылы 10 үй", "[ADDRESS]"),
    ],
)
def test_street_addresses(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Живу на Абая 150-3, сосед дарит подарки", "Живу на [ADDRESS], сосед дарит подарки"),
        ("мекенжайым Сәтбаев 112-7", "мекенжайым [ADDRESS]"),
        ("Живу: мкр Самал 2, дом 5, кв 17.", "Живу: [ADDRESS]."),
        ("Жетісу-3 ықшам ауданы, 12 үй, 4 пәтер", "[ADDRESS]"),
        ("Самал-2 мкр 5 үй 17 пәтер", "[ADDRESS]"),
    ],
)
def test_a_house_and_flat_shaped_like_an_article_or_after_a_district(
    text: str, expected: str
) -> None:
    """Round 35's probe: «Абая 150-3» (shaped as an article's number, and no word for a street)
    and «мкр Самал 2, дом 5, кв 17» (a district's number, then the house) were left in. An
    article's number is one only in a message with a word for an article, a code or a law."""
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Провокация 412-1 УК РК что это?",
        "Статья 412-1 и 380-1 за 2020 год, 500 000 тенге",
        "Қылмыстық кодекс: Арандату 412-1 не дейді?",
        "Article 380-1, Attack 380-1",
    ],
)
def test_an_article_number_in_a_message_naming_a_law_is_kept(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Статья 412-1 УК",
        "Ғалымдар 380-1 баптың атын өзгертті ме?",
        "Ғалымдар 380-1-баптың атын өзгертті ме?",
        "Article 14-1 applies?",
        "Art. 14",
        "Возраст 18-25 лет",
        "Statistics 2019-2020",
        "Приём Вторник 10-12",
        "Мая 1-9 выходные?",
        "Взятка 500 000 тенге",
        "ул 10 жаста",  # «ұл» typed without Kazakh letters: a son, no street
    ],
)
def test_numbers_that_are_no_address(text: str) -> None:
    assert redact(text) == text


# --- e-mail, card, IBAN, username, URL ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ответ на почту ivan.petrov@mail.ru", "Ответ на почту [EMAIL]"),
        ("Жауапты aigerim_85@gmail.com поштасына жіберіңіз", "Жауапты [EMAIL] поштасына жіберіңіз"),
        ("Send it to d.seitkali@astana.gov.kz, thanks", "Send it to [EMAIL], thanks"),
    ],
)
def test_email(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("… пишите ivan.petrov(at)mail.ru", "… пишите [EMAIL]"),
        ("ivan.petrov [at] mail.ru", "[EMAIL]"),
        ("почта: aigerim_85 {at} gmail dot com.", "почта: [EMAIL]."),
        ("ответ на ivan собака mail.ru", "ответ на [EMAIL]"),
        ("поштам serik собака mail точка kz", "поштам [EMAIL]"),
        ("write to ivan.petrov at gmail.com", "write to [EMAIL]"),
        ("ivan dot petrov at company dot kz", "[EMAIL]"),
        ("s.k (AT) mail (DOT) kz", "[EMAIL]"),
        ("ivan @ mail.ru", "[EMAIL]"),
    ],
)
def test_spelled_out_email(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Can I file a complaint at egov.kz?",
        "I paid the fine at kaspi.kz",
        "Соседская собака бросается на детей, куда жаловаться?",
        "Meet at 10 at the akimat",
    ],
)
def test_not_spelled_out_email(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Перевести на карту 4400 4301 0012 3451?", "Перевести на карту [CARD]?"),
        (
            "Каспий картама 4003031234567893 аударуды сұрады",
            "Каспий картама [CARD] аударуды сұрады",
        ),
        ("pay to card 5522-0398-7654-3212", "pay to card [CARD]"),
        ("карта 4400 4301 0012 3452", "карта [NUMBER]"),  # Luhn fails, still card-shaped
    ],
)
def test_card(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Счёт для возврата KZ76125KZT1001300123", "Счёт для возврата [IBAN]"),
        ("ИИК: KZ18 722S 0000 1234 5678, это мой счет", "ИИК: [IBAN], это мой счет"),
        ("есепшот kz12601a861000123456", "есепшот [IBAN]"),
        ("return it to KZ77125KZT1001300123", "return it to [NUMBER]"),  # mod-97 fails
    ],
)
def test_iban(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Напишите мне в телеграм @aigerim_s85", "Напишите мне в телеграм [USERNAME]"),
        ("Маған @nurlan_kz жазыңыз", "Маған [USERNAME] жазыңыз"),
        ("my colleague @john_doe_kz told me", "my colleague [USERNAME] told me"),
        ("@abcd is too short", "@abcd is too short"),
    ],
)
def test_username(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Моя страница https://instagram.com/aigul.kassymova.", "Моя страница [URL]."),
        ("пишите t.me/serik_almaty", "пишите [URL]"),
        ("see www.facebook.com/profile.php?id=100012345678", "see [URL]"),
        (
            "Текст закона: https://adilet.zan.kz/rus/docs/K1400000226",
            "Текст закона: https://adilet.zan.kz/rus/docs/K1400000226",
        ),
    ],
)
def test_url(text: str, expected: str) -> None:
    assert redact(text) == expected


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # by cue
        ("Меня зовут Асхат, я работаю в акимате.", "Меня зовут [NAME], я работаю в акимате."),
        ("Здравствуйте, меня зовут Айгерим Сейтказиева", "Здравствуйте, меня зовут [NAME]"),
        ("меня зовут ольга, у меня вопрос", "меня зовут [NAME], у меня вопрос"),
        ("меня зовут айгерим смагулова, вопрос", "меня зовут [NAME], вопрос"),
        ("меня зовут айгерим смагулова кайратовна работаю", "меня зовут [NAME] работаю"),
        ("Менің атым Нұрлан, мен қызметшімін", "Менің атым [NAME], мен қызметшімін"),
        ("атым Бауыржан, сұрағым бар", "атым [NAME], сұрағым бар"),
        ("Есімім Ақжол, Астанада тұрамын", "Есімім [NAME], Астанада тұрамын"),
        (
            "My name is Daniyar Seitkali and I work at the Ministry",
            "My name is [NAME] and I work at the Ministry",
        ),
        ("I'm Aliya, an HR officer.", "I'm [NAME], an HR officer."),
        ("my name is aigerim and I work in customs", "my name is [NAME] and I work in customs"),
        ("Я — Марат, сотрудник полиции", "Я — [NAME], сотрудник полиции"),
        ("С уважением, Канат Омаров", "С уважением, [NAME]"),
        ("Құрметпен, Айгүл Сейтқали", "Құрметпен, [NAME]"),
        ("Regards, Nurlan Abenov", "Regards, [NAME]"),
        ("my boss, Mr. Karimov, wants a cut", "my boss, Mr. [NAME], wants a cut"),
    ],
)
def test_names_by_cue(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # patronymic / Kazakh -ұлы, -қызы
        ("Мой начальник Жумабаев Ерлан Серикович требует", "Мой начальник [NAME] требует"),
        ("Бастығым Ерлан Серікұлы пара сұрады", "Бастығым [NAME] пара сұрады"),
        ("Кеше Жанар Омарқызы маған сыйлық берді", "Кеше [NAME] маған сыйлық берді"),
        ("Олег Викторович сказал, что это подарок", "[NAME] сказал, что это подарок"),
        ("Документы передал Сергею Викторовичу", "Документы передал [NAME]"),
        # surname form next to another capitalised word, or alone mid-sentence
        ("Инспектор Петров Иван сказал", "Инспектор [NAME] сказал"),
        ("Директор ТОО Смагулов Болат требует откат", "Директор ТОО [NAME] требует откат"),
        ("Заявление от Петровой отклонено", "Заявление от [NAME] отклонено"),
        ("Руководитель управления Кенжебаев требует", "Руководитель управления [NAME] требует"),
        ("My colleague Aigerim Bekova got a gift", "My colleague [NAME] got a gift"),
        ("Marat Zhaksylykov from the akimat asked me", "[NAME] from the akimat asked me"),
        # initials
        ("Сосед Иванов И.И. дал взятку", "Сосед [NAME] дал взятку"),
        ("Следователь А. Мухамедиев сам предложил", "Следователь [NAME] сам предложил"),
        # given names, in case forms
        ("Моему брату Данияру предложили работу", "Моему брату [NAME] предложили работу"),
        ("Айгүлге ақша берген жоқпын", "[NAME] ақша берген жоқпын"),
        ("Спасибо, Мадина!", "Спасибо, [NAME]!"),
        ("Менің бастығым Меруерт Жұмабай пара сұрады", "Менің бастығым [NAME] пара сұрады"),
        ("жалобу на Кима Виталия оставили без ответа", "жалобу на [NAME] оставили без ответа"),
        ("а Нурсултан Ерланович пригрозил увольнением", "а [NAME] пригрозил увольнением"),
        ("ФИО: Иманбаева Дана Маратовна", "ФИО: [NAME]"),
        # Latin pair not at a sentence start
        ("We reported Yerzhan Tokhtarov to the agency", "We reported [NAME] to the agency"),
    ],
)
def test_names_by_form(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("мой начальник ерлан нурланов требует деньги", "мой начальник [NAME] требует деньги"),
        ("I am aigerim nurlanova", "I am [NAME]"),
        ("асқар нұрланұлы пара сұрады", "[NAME] пара сұрады"),
        ("звонил нурланов ерлан серикович", "звонил [NAME]"),
        ("Ерлан нурланов звонил", "[NAME] звонил"),
    ],
)
def test_lower_case_names(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("я отдал нурланову 100 000 тенге", "я отдал [NAME] 100 000 тенге"),
        ("передал деньги ерлану нурланову в 2020 году", "передал деньги [NAME] в 2020 году"),
        ("Ерлану Нурланову передал конверт", "[NAME] передал конверт"),
        ("Нұрлановқа ақша бердім", "[NAME] ақша бердім"),
        ("бастығым асқар нұрлановқа сыйлық берді", "бастығым [NAME] сыйлық берді"),
        ("Бастығым Асқарға 50 мың берді", "Бастығым [NAME] 50 мың берді"),
        ("с мухтаровой договорились", "с [NAME] договорились"),
    ],
)
def test_surnames_in_case_forms(text: str, expected: str) -> None:
    """Round 35's probe: «нурланову» and other case forms of a surname were left in when
    typed in lower case or opening a sentence. A surname made of a listed given name and
    -ов/-ев is a name in any case form, in lower case and alone too."""
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("асқарға берді", "[NAME] берді"),
        ("айгүлдің үйіне бардым", "[NAME] үйіне бардым"),
        ("бастығым нұрланға берді", "бастығым [NAME] берді"),
        ("динараны шақырды", "[NAME] шақырды"),
        ("ақшаны асқар нұрлановқа берді", "ақшаны [NAME] берді"),
    ],
)
def test_lone_lower_case_given_names_in_kazakh_case_forms(text: str, expected: str) -> None:
    """Round 36's probe: a listed given name typed in lower case with a Kazakh case ending was
    left in when it was the only name."""
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "серікпен бірге келдім",  # "with a partner"
        "мұратқа жету оңай емес",  # "to reach the goal"
        "ермекке уақыт жоқ",  # "no time for a pastime"
        "сымбатты ғимарат",
        "асқар тау",  # a nominative alone is no case form
        "тараптардың келісімі бойынша",
    ],
)
def test_kazakh_words_shaped_like_case_forms_of_names_are_kept(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("уголовное дело № 2051 0001 0012 34", "уголовное дело № [NUMBER]"),
        ("іс №225-1/2024 бойынша", "іс №[NUMBER] бойынша"),
        ("My case no. 1-23/2024 was closed", "My case no. [NUMBER] was closed"),
        ("ЕРДР 231500031000123", "ЕРДР [NUMBER]"),
        ("ЕРДР № 2315 0003 1000 123", "ЕРДР № [NUMBER]"),
        ("по делу 2-1234/2023 от 12.05.2023", "по делу [NUMBER] от 12.05.2023"),
        ("іс нөмірі 7512-23-00-1/45", "іс нөмірі [NUMBER]"),
        ("КУИ № 1234 от 1 мая", "КУИ № [NUMBER] от 1 мая"),
    ],
)
def test_case_and_record_numbers(text: str, expected: str) -> None:
    """Round 36's probe: case numbers with a slash, a dash or in groups were kept."""
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "статья 412-1 УК",
        "380-1 бап бойынша іс",
        "Art. 14 of the law",
        "іс 380-1 бап бойынша қозғалды",
        "іс № 380-1 бабы бойынша",
        "in case 2 people ask",
        "дело 12.05.2023 закрыли",
        "іс-шара 2024 жылы",
        "дело в том, что 5 человек",
    ],
)
def test_article_numbers_and_other_numbers_near_case_words_are_kept(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "я готов помочь",
        "марат готов помочь",
        "айгерим готова помочь",
        "основ права не знаю",
        "соединенных штатов",
        "начальник отделов кадров",
        "рублев",
        "I love improv",
        "ерлан көлігін сатты",  # a Kazakh accusative, no surname
        "у марата долгов нет",
        "нурлан один пришёл",
        "голову ломаю над деловой этикой",
        "на основе торгового договора",
        "у нас с ним разговор был по-деловому",
    ],
)
def test_lower_case_words_ending_like_surnames_are_kept(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "меня зовут работать в управление, там мой брат",
        "Меня зовут туда же руководителем отдела",
        "I'm Serbian, working in Almaty",
        "Жене госслужащего можно принимать подарки?",
        "Presents for New Year from a business owner: allowed?",
        "Причина Отказа непонятна",
        "Hi Adal, I am Kazakh and I work in Astana",
        "Добрый день, коллеги! Спасибо Вам большое",
        "Гражданин Республики Казахстан может?",
        "Совет Директоров одобрил",
    ],
)
def test_not_names(text: str) -> None:
    assert redact(text) == text


# --- clean domain questions -----------------------------------------------------------------

CLEAN = [
    "412-1 бап бойынша арандату деген не?",
    "Что грозит по ст. 380-1 УК РК?",
    "ст. 380-1",
    "10 АЕК-тен асатын сыйлық алуға бола ма?",
    "Можно ли принять подарок стоимостью до 10 МРП?",
    "2020 жылғы 18 қазандағы заң не өзгертті?",
    "115",
    "1424",
    "Куда звонить: 1424 или 115?",
    "What does Article 412-1 of the Criminal Code say about provocation?",
    "Art. 380-1 — is intent required?",
    "Is a gift worth 50 000 tenge allowed for a civil servant?",
    "Закон от 19 декабря 2020 года № 384-VI что изменил?",
    "Уголовный кодекс Республики Казахстан, статья 412-1, часть 2",
    "Агентство по противодействию коррупции принимает анонимные жалобы?",
    "В Алматы и Астане одинаковые правила для госслужащих?",
    "Can Adal explain the rules on gifts for family members?",
    "Адал, расскажи про подарки",
    "Сыбайлас жемқорлыққа қарсы іс-қимыл агенттігіне қалай шағымданамын?",
    "Сколько случаев нападения на полицейских было с 2012 по 2022 год?",
    "Взятка 500 000 тенге — это крупный размер?",
    "Қылмыстық кодекстің 380-1-бабы қашан күшіне енді?",
    "How many years in prison for a bribe of 3 000 000 tenge?",
    "Жалақым 250 000 теңге, сыйлық 30 000 теңге болса ше?",
    "Комплаенс-служба в АО «Самрук-Қазына» обязательна?",
    "Ministry of Internal Affairs officers and provocation: what changed in 2020?",
    "Нұр-Сұлтан мен Шымкентте ережелер бірдей ме?",
    "Is the Anti-Corruption Agency the same as the Financial Monitoring Agency?",
    "Statistics for 2019 2020 on attacks on officers in Almaty",
    "Подарок на свадьбу 2019-2020 годов нужно декларировать?",
    "Бюджет 10 000 000 000 тенге на закупки — кто контролирует?",
    "Order No. 123 of the Minister of Justice — is it still in force?",
    "Верховный суд РК рассматривал дела по ст. 412-1?",
    "Когда вышел Указ Президента о противодействии коррупции?",
    "Отдел кадров Министерства финансов требует справку, это законно?",
    "Мемлекеттік қызмет істері агенттігі қайда орналасқан?",
    "I work at the Supreme Court. Can my wife accept a gift?",
    "Что значит часть 4 статьи 366 УК?",
    "Ставка 12,5% годовых по ипотеке для госслужащих — это подарок?",
    "Время 10:30, кабинет 412, прием граждан по вторникам",
    "Дата: 18.10.2020, № 365-VI ЗРК",
    "Сыйлық 1 АЕК = 3 692 теңге ме?",
    "What Is The Penalty For Bribery In Kazakhstan?",
    "КАКОЙ ШТРАФ ЗА ВЗЯТКУ?",
    "Счёт-фактура № 0012345 от 01.02.2023",
    "In 2019-2020, 1 200 cases; in 2021, 1 350 cases?",
    "Жоғарғы Соттың нормативтік қаулысы бар ма?",
    "Could the Prosecutor General's Office open a case?",
    "Подарок на Наурыз коллеге — это нарушение?",
    "Часы работы 09:00-18:00, обед 13:00-14:00",
    "Years 2019 2020 2021 2022 compared",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_domain_questions_unchanged(text: str) -> None:
    assert redact(text) == text


def test_mixed_message_keeps_its_meaning() -> None:
    text = (
        "Здравствуйте! Я Сауле Каримова, ИИН 991231403212, тел. 8 701 123 45 67. "
        "Мой начальник требует 10 МРП за справку — это ст. 412-1? Пишите на s.k@mail.kz"
    )
    assert redact(text) == (
        "Здравствуйте! Я [NAME], ИИН [IIN], тел. [PHONE]. "
        "Мой начальник требует 10 МРП за справку — это ст. 412-1? Пишите на "
        "[EMAIL]"
    )


def test_placeholders_are_left_alone() -> None:
    text = " ".join(PLACEHOLDERS)
    assert redact(text) == text


def test_long_message_is_fast() -> None:
    # a loose guard against pathological backtracking, not a benchmark (see bench/bench_redact.py)
    text = (
        (
            "Меня зовут Асхат, тел. +7 701 123 45 67, ИИН 900101300126. Что грозит по ст. 412-1 "
            "за подарок 10 МРП? "
        )
        * 40
        + "a" * 2000
        + "1" * 2000
        + "@" * 500
    )
    start = time.perf_counter()
    redact(text)
    assert time.perf_counter() - start < 1.0


# --- properties -----------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        " ",
        " ",
        ", ",
        ". ",
        "\n",
        "-",
        "(",
        ")",
        "+",
        "@",
        ".",
        ":",
        "—",
        "«",
        "»",
        "[",
        "]",
        "+7",
        "8",
        "7",
        "701",
        "123",
        "45",
        "67",
        "900101300126",
        "4400 4301 0012 3451",
        "KZ76125KZT1001300123",
        "KZ18 722S",
        "ivan@mail.ru",
        "@nurlan_kz",
        "t.me/x",
        "https://",
        "www.",
        "меня зовут",
        "Меня зовут",
        "my name is",
        "I'm",
        "атым",
        "Я —",
        "Иван",
        "Петров",
        "Петровой",
        "Серикович",
        "Серікұлы",
        "Айгүл",
        "Aigerim",
        "Bekova",
        "И.",
        "И.И.",
        "Закон",
        "Алматы",
        "Adal",
        "ст.",
        "412-1",
        "10 МРП",
        "тенге",
        "2020",
        "1424",
        "[NAME]",
        "[PHONE]",
        "[NUMBER]",
        "тел",
        "WhatsApp",
        "Mr.",
        "здравствуйте",
    ]
)
_MESSAGES = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.one_of(
            _FRAGMENTS, st.text(alphabet="0123456789 -().+", max_size=12), st.text(max_size=4)
        ),
        max_size=40,
    ).map("".join),
)


@settings(max_examples=1500, deadline=None)
@given(_MESSAGES)
def test_never_raises_and_is_idempotent(text: str) -> None:
    once = redact(text)
    assert isinstance(once, str)
    assert redact(once) == once
