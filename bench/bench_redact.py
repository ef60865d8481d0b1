"""Benchmark of the personal-data redactor (not a timed test): ``python bench/bench_redact.py``.

Prints, for ``bot.redact.redact`` and, when the package is importable, for airlock-pii's
``mask_preview`` (the offline PyPI package that was evaluated before bot.redact was written):

- recall on three labelled samples of kk/ru/en messages (``SAMPLE``, ``HELDOUT``, ``FRESH``
  below), per kind: an item counts as caught when none of its words (2+ characters) is left in
  the output more often than it occurs elsewhere in the message;
- over-redaction: the words that are no personal data and went missing, and how many clean
  messages changed, on the samples and on every question of ``tests/data/*.jsonl``;
- latency per call on a 500-character message with and without personal data, and on a
  4,000-character one, and the import time in a fresh interpreter.

airlock-pii has no dependencies and does not need to be installed in the project's venv: run
this file with the interpreter of a throwaway venv that has it, e.g.
``/tmp/airlock-venv/bin/python bench/bench_redact.py`` (bot.redact needs nothing but the standard
library). Every number in the samples is made up and built to pass its check.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.redact import redact  # noqa: E402

Labelled = tuple[str, list[tuple[str, str]]]
PLACEHOLDER_WORDS = {
    "IIN",
    "BIN",
    "PHONE",
    "EMAIL",
    "CARD",
    "IBAN",
    "KZ_IBAN",
    "USERNAME",
    "NAME",
    "PERSON",
    "URL",
    "NUMBER",
    "SECRET",
}

# Written before either redactor was run; bot.redact was then tuned on it (biased to it).
SAMPLE: list[Labelled] = [
    ("Мой ИИН 900101300126, могу ли я подать жалобу анонимно?", [("iin", "900101300126")]),
    ("ЖСН: 851205401236. Арандатуға қатысты арыз қалай жазамын?", [("iin", "851205401236")]),
    (
        "My IIN is 010607603451, do I need to declare a gift from my uncle?",
        [("iin", "010607603451")],
    ),
    (
        "Проверьте пожалуйста по ИИН 770312456780 есть ли на меня дело по ст. 412-1",
        [("iin", "770312456780")],
    ),
    (
        "БИН нашего ТОО 040504000127, директор требует откат, куда звонить?",
        [("bin", "040504000127")],
    ),
    (
        "мой иин 951113209874 а брата 880722304565 мы оба в одном акимате работаем",
        [("iin", "951113209874"), ("iin", "880722304565")],
    ),
    (
        "ИИН 900101300127 (кажется опечатался) — как узнать статус обращения?",
        [("iin", "900101300127")],
    ),
    ("Позвоните мне на +7 701 123 45 67, хочу сообщить о взятке", [("phone", "+7 701 123 45 67")]),
    ("менің нөмірім 8 747 555-12-34, хабарласыңызшы", [("phone", "8 747 555-12-34")]),
    (
        "Call me at +7(777)9876543 please, it's about a bribe at the akimat",
        [("phone", "+7(777)9876543")],
    ),
    ("тел 87051234567 Айгуль", [("phone", "87051234567"), ("name", "Айгуль")]),
    (
        "Мой рабочий +7 (727) 250-12-34, мобильный 8-702-111-22-33",
        [("phone", "+7 (727) 250-12-34"), ("phone", "8-702-111-22-33")],
    ),
    ("Свяжитесь по номеру (701) 765 43 21 после 18:00", [("phone", "(701) 765 43 21")]),
    ("WhatsApp: 8.700.100.20.30", [("phone", "8.700.100.20.30")]),
    (
        "Мне позвонили с номера 8 (7172) 55-66-77 и представились из Агентства",
        [("phone", "8 (7172) 55-66-77")],
    ),
    ("қоңырау шалыңыз 8 708 333 44 55 немесе 1424 телефонына", [("phone", "8 708 333 44 55")]),
    ("городской 250-33-44, спросить Серика", [("phone", "250-33-44"), ("name", "Серика")]),
    ("my number is 77011234567 on telegram", [("phone", "77011234567")]),
    ("Напишите ответ на почту ivan.petrov@mail.ru", [("email", "ivan.petrov@mail.ru")]),
    ("Жауапты aigerim_85@gmail.com поштасына жіберіңізші", [("email", "aigerim_85@gmail.com")]),
    (
        "Please send the memo to d.seitkali@astana.gov.kz, thanks",
        [("email", "d.seitkali@astana.gov.kz")],
    ),
    (
        "Мне предлагают перевести деньги на карту 4400 4301 0012 3451, это провокация?",
        [("card", "4400 4301 0012 3451")],
    ),
    ("Каспий картама 4003031234567893 ақша аударуды сұрады", [("card", "4003031234567893")]),
    ("he asked me to pay to card 5522-0398-7654-3212", [("card", "5522-0398-7654-3212")]),
    ("Счёт для возврата KZ76125KZT1001300123", [("iban", "KZ76125KZT1001300123")]),
    ("ИИК: KZ18 722S 0000 1234 5678, это мой счет", [("iban", "KZ18 722S 0000 1234 5678")]),
    ("return the money to KZ12601A861000123456 please", [("iban", "KZ12601A861000123456")]),
    ("Напишите мне в телеграм @aigerim_s85", [("username", "@aigerim_s85")]),
    ("Маған @nurlan_kz жазыңыз", [("username", "@nurlan_kz")]),
    ("my colleague @john_doe_kz told me about this bot", [("username", "@john_doe_kz")]),
    (
        "Вот моя страница https://instagram.com/aigul.kassymova посмотрите",
        [("url", "https://instagram.com/aigul.kassymova")],
    ),
    ("пишите t.me/serik_almaty", [("url", "t.me/serik_almaty")]),
    ("Меня зовут Асхат, я работаю в акимате. Можно ли принять подарок?", [("name", "Асхат")]),
    (
        "Здравствуйте, меня зовут Айгерим Сейтказиева, я госслужащая",
        [("name", "Айгерим Сейтказиева")],
    ),
    ("Менің атым Нұрлан, мен мемлекеттік қызметшімін", [("name", "Нұрлан")]),
    (
        "My name is Daniyar Seitkali and I work at the Ministry of Finance",
        [("name", "Daniyar Seitkali")],
    ),
    ("I'm Aliya, an HR officer. Can my husband work in the same agency?", [("name", "Aliya")]),
    (
        "Мой начальник Жумабаев Ерлан Серикович требует деньги",
        [("name", "Жумабаев Ерлан Серикович")],
    ),
    ("Бастығым Ерлан Серікұлы пара сұрады", [("name", "Ерлан Серікұлы")]),
    ("Инспектор Петров Иван сказал что закроет дело за деньги", [("name", "Петров Иван")]),
    (
        "Вчера следователь Ахметова Динара Болатовна намекнула на взятку",
        [("name", "Ахметова Динара Болатовна")],
    ),
    (
        "Can you help? My colleague Aigerim Bekova got a gift from a supplier",
        [("name", "Aigerim Bekova")],
    ),
    ("Я — Марат, сотрудник полиции", [("name", "Марат")]),
    ("атым Бауыржан, сұрағым бар", [("name", "Бауыржан")]),
    ("меня зовут ольга, у меня вопрос про подарки", [("name", "ольга")]),
    ("Заявление от Петровой было отклонено, почему?", [("name", "Петровой")]),
    ("Сосед Иванов И.И. дал взятку инспектору", [("name", "Иванов И.И.")]),
    ("С уважением, Канат Омаров", [("name", "Канат Омаров")]),
    ("Құрметпен, Айгүл Сейтқали", [("name", "Айгүл Сейтқали")]),
    ("Regards, Nurlan Abenov", [("name", "Nurlan Abenov")]),
    ("Моему брату Данияру предложили работу в том же управлении", [("name", "Данияру")]),
    ("Здравствуйте, Алия! Подскажите по ст. 380-1", [("name", "Алия")]),
    ("Менің інім Асқар Жұмабайұлы полицияда істейді", [("name", "Асқар Жұмабайұлы")]),
    ("my boss, Mr. Karimov, wants a cut", [("name", "Karimov")]),
    (
        "Директор ТОО Смагулов Болат требует откат, его телефон +77015556677",
        [("name", "Смагулов Болат"), ("phone", "+77015556677")],
    ),
    (
        "Я Сауле Каримова, ИИН 991231403212, прошу проверить мое дело",
        [("name", "Сауле Каримова"), ("iin", "991231403212")],
    ),
    ("Петрова подала заявление на моего мужа", [("name", "Петрова")]),
    (
        "Marat Zhaksylykov from the regional akimat asked me for money",
        [("name", "Marat Zhaksylykov")],
    ),
    ("412-1 бап бойынша арандату деген не?", []),
    ("Что грозит по ст. 380-1 УК РК?", []),
    ("10 АЕК-тен асатын сыйлық алуға бола ма?", []),
    ("Можно ли принять подарок стоимостью до 10 МРП?", []),
    ("2020 жылғы 18 қазандағы заң не өзгертті?", []),
    ("Куда звонить: 1424 или 115?", []),
    ("Телефон доверия Агентства 1424, а 102 — это полиция?", []),
    ("What does Article 412-1 of the Criminal Code say about provocation?", []),
    ("Is a gift worth 50 000 tenge allowed for a civil servant?", []),
    ("Штраф 100 МРП за что дают?", []),
    ("Закон от 19 декабря 2020 года № 384-VI что изменил?", []),
    ("Уголовный кодекс Республики Казахстан, статья 412-1, часть 2", []),
    ("Агентство по противодействию коррупции принимает анонимные жалобы?", []),
    ("В Алматы и Астане одинаковые правила для госслужащих?", []),
    ("Can Adal explain the rules on gifts for family members?", []),
    ("Сыбайлас жемқорлыққа қарсы іс-қимыл агенттігіне қалай шағымданамын?", []),
    ("Сколько случаев нападения на полицейских было с 2012 по 2022 год?", []),
    ("Можно ли работать в одном органе с братом, если он мой начальник?", []),
    ("Взятка 500 000 тенге — это крупный размер?", []),
    ("Қылмыстық кодекстің 380-1-бабы қашан күшіне енді?", []),
    ("How many years in prison for giving a bribe of 3 000 000 tenge?", []),
    ("Art. 380-1 — is intent required?", []),
    ("Мне 65 лет, могу ли я работать в компаенс-службе?", []),
    ("Жалақым 250 000 теңге, сыйлық 30 000 теңге болса ше?", []),
    ("Комплаенс-служба в АО «Самрук-Қазына» обязательна?", []),
    ("Что такое коррупционно-опасные должности по Закону РК?", []),
    ("Ministry of Internal Affairs officers and provocation: what changed in 2020?", []),
    ("Шартты түрде мерзімінен бұрын босату парақорларға қолданылмай ма?", []),
    ("Пункт 3 статьи 12 Закона о госслужбе — как понимать?", []),
    ("Сколько дают за дачу взятки в 100 тысяч тенге?", []),
    ("Подарок от родственников на свадьбу 2019-2020 годов нужно декларировать?", []),
    ("Нұр-Сұлтан мен Шымкентте ережелер бірдей ме?", []),
    ("Is the Anti-Corruption Agency the same as the Financial Monitoring Agency?", []),
    ("Statistics for 2019 2020 on attacks on officers in Almaty", []),
    ("Бюджет 10 000 000 000 тенге на закупки — кто контролирует?", []),
    ("Order No. 123 of the Minister of Justice — is it still in force?", []),
    ("Верховный суд РК рассматривал дела по ст. 412-1?", []),
    ("Правила с 1 января 2021 года: можно ли брать цветы от Дня учителя?", []),
    ("Адал, расскажи про подарки", []),
    ("Когда вышел Указ Президента о противодействии коррупции?", []),
    ("Отдел кадров Министерства финансов требует справку, это законно?", []),
    ("Мемлекеттік қызмет істері агенттігі қайда орналасқан?", []),
    ("I work at the Supreme Court. Can my wife accept a gift?", []),
    ("Тел. доверия 8 800 080 14 24 работает круглосуточно?", []),
    ("Что значит часть 4 статьи 366 УК?", []),
    ("Сумма 1 500 000 тенге считается крупной?", []),
    ("Ставка 12,5% годовых по ипотеке для госслужащих — это подарок?", []),
    ("Время 10:30, кабинет 412, прием граждан по вторникам", []),
]

# Written with SAMPLE and kept out of the tuning, except that a stop word (Ким) was
# taken back after a run on it showed the regression.
HELDOUT: list[Labelled] = [
    ("ИИН сына 050210600337, его хотят уволить, это законно?", [("iin", "050210600337")]),
    ("жсн 930405300789 бойынша тексеріп беріңізші", [("iin", "930405300789")]),
    ("The company's BIN is 080640001231 and they offered me a kickback", [("bin", "080640001231")]),
    ("Әйелімнің ЖСН-і 681129401128, ол сыйлық алса бола ма?", [("iin", "681129401128")]),
    ("Номер для связи: +7-775-404-40-40", [("phone", "+7-775-404-40-40")]),
    ("пиши в вотсап 8 775 4044040", [("phone", "8 775 4044040")]),
    ("звонили с +7 (7212) 41-22-33, это из прокуратуры?", [("phone", "+7 (7212) 41-22-33")]),
    ("менің телефоным: 8(701)2223344", [("phone", "8(701)2223344")]),
    ("I can be reached on +7 747 900 1122 after work", [("phone", "+7 747 900 1122")]),
    ("номер следователя 705 111 22 33, он сам предложил", [("phone", "705 111 22 33")]),
    ("Поштам: serik.b@mail.kz", [("email", "serik.b@mail.kz")]),
    ("contact: Aliya.Nurgaliyeva@company.kz", [("email", "Aliya.Nurgaliyeva@company.kz")]),
    ("Номер карты 4400 4301 2345 6789, перевели 200 000 тенге", [("card", "4400 4301 2345 6789")]),
    ("card 4100 0055 5566 6676 was used for the bribe", [("card", "4100 0055 5566 6676")]),
    ("есепшот KZ57 601A 1234 5678 9012", [("iban", "KZ57 601A 1234 5678 9012")]),
    ("Реквизиты: KZ24856KZT9876543210, АО Банк", [("iban", "KZ24856KZT9876543210")]),
    ("Мой ник @dana_almaty1, напишите в личку", [("username", "@dana_almaty1")]),
    ("Меня зовут Гульнара Ахметова, я бухгалтер", [("name", "Гульнара Ахметова")]),
    ("Атым Айдана, жасым 30-да", [("name", "Айдана")]),
    ("Hi, my name is Yerlan. Is a 5000 tenge gift OK?", [("name", "Yerlan")]),
    ("Моя фамилия Кусаинов, я инспектор", [("name", "Кусаинов")]),
    ("Начальник отдела Ибраев Мурат Бекович берет взятки", [("name", "Ибраев Мурат Бекович")]),
    ("Біздің бөлім басшысы Серікбаев Нұрлан ақша сұрады", [("name", "Серікбаев Нұрлан")]),
    ("I'm Askar Tulegenov, a prosecutor in Karaganda", [("name", "Askar Tulegenov")]),
    ("Кеше Жанар Омарқызы маған сыйлық берді", [("name", "Жанар Омарқызы")]),
    ("Спасибо, Мадина!", [("name", "Мадина")]),
    ("Документы передал Сергею Викторовичу, он мой дядя", [("name", "Сергею Викторовичу")]),
    ("Мой коллега Тимур Ким получил подарок от поставщика", [("name", "Тимур Ким")]),
    ("Ответ пришлите Смирновой Анне", [("name", "Смирновой Анне")]),
    ("My sister Dinara works under her husband in the same department", [("name", "Dinara")]),
    ("Ассаламағалейкум, Бекзат есімім, сұрақ бар", [("name", "Бекзат")]),
    ("Что будет за отказ дать взятку?", []),
    ("380-1 бап бойынша жаза қандай?", []),
    ("Шектеу 5 АЕК пе әлде 10 АЕК пе?", []),
    ("Статья 412-1 УК РК введена Законом от 2020 года?", []),
    ("Можно ли сообщить на 1424 анонимно?", []),
    ("What is the MCI for 2024 and how many MCI is a gift limit?", []),
    ("Антикоррупционная служба Республики Казахстан и Генеральная прокуратура — разница?", []),
    ("Who enforces Article 380-1 in Shymkent?", []),
    ("Парақорлық үшін 7 жылдан 12 жылға дейін бас бостандығынан айыру ма?", []),
    ("В Караганде полицейский провоцировал водителей, это ст. 412-1?", []),
    ("Сумма взятки 2 000 000 тенге, сколько лет?", []),
    ("Компания «Казахтелеком» обязана иметь комплаенс?", []),
    ("Үкімет қаулысы 2021 жылғы 12 наурыздағы № 135", []),
    ("The Civil Service Agency says the rules changed on 1 January 2021, right?", []),
    ("Мой отец Сотрудник МВД, могу ли я работать в его департаменте?", []),
    ("Подскажите, пожалуйста, где найти текст Закона?", []),
    ("Приказ №  45-п от 03.04.2023 о конфликте интересов", []),
    ("Код 102 или 112 — куда звонить при нападении на полицейского?", []),
    ("Сколько МРП в 2020 году — 2 651 тенге?", []),
]

# Written adversarially after the tuning. First scores: bot.redact 38/40 (it missed
# Нурсултан Ерланович, Кима Виталия; both fixed since), airlock-pii 35/40.
FRESH: list[Labelled] = [
    ("иин980703501233 тексеріңіз", [("iin", "980703501233")]),
    (
        "ИИН: 031126604560; БИН работодателя 190301400773",
        [("iin", "031126604560"), ("bin", "190301400773")],
    ),
    (
        "Звоните: +7 700 555 66 77 или +7 (705) 5556677",
        [("phone", "+7 700 555 66 77"), ("phone", "+7 (705) 5556677")],
    ),
    ("тел:87770001122", [("phone", "87770001122")]),
    ("номерім 8 701 9998877", [("phone", "8 701 9998877")]),
    ("You can text me, +77470001122 (WhatsApp).", [("phone", "+77470001122")]),
    ("раб. тел. 8 (7182) 32-10-54", [("phone", "8 (7182) 32-10-54")]),
    (
        "Карта Kaspi Gold 4049 3211 2233 4456, на неё просили скинуть",
        [("card", "4049 3211 2233 4456")],
    ),
    ("5536914455667786 картасына аударыңыз деді", [("card", "5536914455667786")]),
    ("IBAN kz74926kzt7000111222", [("iban", "kz74926kzt7000111222")]),
    ("шот KZ45 006K ZT00 0123 4567", [("iban", "KZ45 006K ZT00 0123 4567")]),
    (
        "Почта: Nurlan.Abenov@yandex.kz; копия hr@company.com",
        [("email", "Nurlan.Abenov@yandex.kz"), ("email", "hr@company.com")],
    ),
    (
        "Пишите @Marat_Askarov или на vk.com/marat.askarov",
        [("username", "@Marat_Askarov"), ("url", "vk.com/marat.askarov")],
    ),
    (
        "пост тут https://www.facebook.com/profile.php?id=100012345678",
        [("url", "https://www.facebook.com/profile.php?id=100012345678")],
    ),
    ("Меня зовут Жаркын, я из Павлодара", [("name", "Жаркын")]),
    ("Меня зовут Ахметжанова Гаухар Серикбаевна", [("name", "Ахметжанова Гаухар Серикбаевна")]),
    ("Есімім Ақжол, Астанада тұрамын", [("name", "Ақжол")]),
    ("my name is aigerim and I work in customs", [("name", "aigerim")]),
    ("Hello, this is Zhanna from the akimat HR", [("name", "Zhanna")]),
    ("Руководитель управления Кенжебаев требует отчитаться", [("name", "Кенжебаев")]),
    ("Нашего главного бухгалтера Сапарову уволили после жалобы", [("name", "Сапарову")]),
    ("Я отказался, а Нурсултан Ерланович пригрозил увольнением", [("name", "Нурсултан Ерланович")]),
    ("Әкімнің орынбасары Бекболат Тұрсынұлы сыйлық сұрады", [("name", "Бекболат Тұрсынұлы")]),
    ("Айгүлге ақша берген жоқпын", [("name", "Айгүлге")]),
    ("Участковый Ержанов С.К. вымогает деньги", [("name", "Ержанов С.К.")]),
    ("Следователь А. Мухамедиев сам предложил решить вопрос", [("name", "А. Мухамедиев")]),
    (
        "My supervisor, Gulnara Dzhaksybekova, accepted an iPhone from a vendor",
        [("name", "Gulnara Dzhaksybekova")],
    ),
    ("We reported Yerzhan Tokhtarov to the agency last week", [("name", "Yerzhan Tokhtarov")]),
    ("Олег Викторович сказал, что это подарок", [("name", "Олег Викторович")]),
    ("жалобу на Кима Виталия оставили без ответа", [("name", "Кима Виталия")]),
    ("Мен Динара, бухгалтермін", [("name", "Динара")]),
    ("Ассалаумағалейкум! Атым Ерболат. Сұрағым бар", [("name", "Ерболат")]),
    ("Спасибо, Нурлан Серикович, всё понятно", [("name", "Нурлан Серикович")]),
    (
        "ФИО: Иманбаева Дана Маратовна, ИИН 980703501233",
        [("name", "Иманбаева Дана Маратовна"), ("iin", "980703501233")],
    ),
    ("Доверенное лицо — Сергей Ким", [("name", "Сергей Ким")]),
    ("Что говорит Закон «О противодействии коррупции» про подарки?", []),
    ("Гражданский кодекс, Кодекс об административных правонарушениях — где ответственность?", []),
    ("Ст. 366 ч. 4 п. 2 УК РК", []),
    ("Дата: 18.10.2020, № 365-VI ЗРК", []),
    ("Сыйлық 1 АЕК = 3 692 теңге ме?", []),
    ("What Is The Penalty For Bribery In Kazakhstan?", []),
    ("КАКОЙ ШТРАФ ЗА ВЗЯТКУ?", []),
    ("Мемлекеттік қызметшілердің әдеп кодексі қайда?", []),
    ("Transparency International ranks Kazakhstan how?", []),
    ("Is the Anti-Corruption Service part of the Agency?", []),
    ("Бюджет 2 500 000 000 тенге, закупки через Самрук-Казына", []),
    ("Счёт-фактура № 0012345 от 01.02.2023", []),
    ("ИИН — это что и где его взять?", []),
    ("Звонить на 8 800 080 0001 или 1424?", []),
    ("In 2019-2020, 1 200 cases; in 2021, 1 350 cases?", []),
    ("Закон РК от 18 ноября 2015 года № 410-V «О противодействии коррупции»", []),
    ("Жоғарғы Соттың нормативтік қаулысы бар ма?", []),
    ("Абай көшесіндегі ХҚКО-да пара сұрады", []),
    ("Агентство Республики Казахстан по делам государственной службы", []),
    ("Could the Prosecutor General's Office open a case?", []),
    ("Подарок на Наурыз коллеге — это нарушение?", []),
    ("Стоимость 5 МРП в 2024 году — 18 460 тенге?", []),
    ("Лимит 2 МРП, а подарок 10 000 тг", []),
    ("Часы работы 09:00-18:00, обед 13:00-14:00", []),
    ("Кабинет 305, корпус Б, ул. Мангилик Ел 8", []),
]


def words(text: str) -> list[str]:
    """The words of ``text``, without the placeholders' own."""
    return [w for w in re.findall(r"\w+", text) if w not in PLACEHOLDER_WORDS]


def score(run: Callable[[str], str], sample: list[Labelled]) -> dict[str, Counter[str]]:
    """Per kind: items and items caught; plus words kept/lost and clean messages changed."""
    found: dict[str, Counter[str]] = {"items": Counter(), "caught": Counter(), "words": Counter()}
    for text, items in sample:
        out = run(text)
        rest = text
        for _, value in items:
            rest = rest.replace(value, " ")
        other, left = Counter(words(rest)), Counter(words(out))
        for kind, value in items:
            found["items"][kind] += 1
            own = {w for w in words(value) if len(w) >= 2}
            if all(left[w] <= other[w] for w in own):
                found["caught"][kind] += 1
        found["words"]["kept"] += sum(other.values())
        found["words"]["lost"] += sum((other - left).values())
        if not items:
            found["words"]["clean"] += 1
            found["words"]["clean changed"] += out != text
    return found


def corpus() -> list[str]:
    """Every question of the project's labelled question sets: clean domain text."""
    return [
        json.loads(line)["q"]
        for path in sorted((ROOT / "tests" / "data").glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]


def report(name: str, run: Callable[[str], str]) -> None:
    """Print recall and over-redaction of ``run`` on each sample and the clean corpus."""
    print(f"\n== {name}")
    for label, sample in (("SAMPLE", SAMPLE), ("HELDOUT", HELDOUT), ("FRESH", FRESH)):
        found = score(run, sample)
        items, caught = found["items"], found["caught"]
        kinds = " ".join(f"{k} {caught[k]}/{items[k]}" for k in sorted(items))
        total, hit = sum(items.values()), sum(caught.values())
        w = found["words"]
        print(f"{label:8s} recall {hit}/{total} = {hit / total:.1%}  [{kinds}]")
        print(
            f"{'':8s} non-PII words lost {w['lost']}/{w['kept']}, clean messages changed "
            f"{w['clean changed']}/{w['clean']}"
        )
    questions = corpus()
    changed = [q for q in questions if run(q) != q]
    print(f"corpus   clean questions changed {len(changed)}/{len(questions)}")
    for question in changed[:5]:
        print(f"         {question[:90]!r} -> {run(question)[:90]!r}")


def latency(run: Callable[[str], str], text: str, repeat: int = 2000) -> tuple[float, float]:
    """Median and 99th percentile of one call, in milliseconds."""
    run(text)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run(text)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99)]


def import_ms(module: str) -> float:
    """Import time of ``module`` in a fresh interpreter, best of 5, in milliseconds."""
    code = (
        f"import sys, time; sys.path.insert(0, {str(ROOT)!r}); t = time.perf_counter(); "
        f"import {module}; print((time.perf_counter() - t) * 1000)"
    )
    return min(
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(5)
    )


def speed(name: str, run: Callable[[str], str], module: str) -> None:
    """Print the latency of ``run`` on typical and long messages, and the import time."""
    pii = " ".join(t for t, items in SAMPLE if items)
    clean = " ".join(t for t, items in SAMPLE if not items)
    texts = {
        "500 chars with PII": pii[:500],
        "500 chars clean": clean[:500],
        "4000 chars mixed": (pii + " " + clean)[:4000],
    }
    print(f"\n== speed of {name} (import {import_ms(module):.0f} ms)")
    for label, text in texts.items():
        p50, p99 = latency(run, text, 300 if len(text) > 1000 else 2000)
        print(f"{label:20s} p50 {p50:.3f} ms  p99 {p99:.3f} ms")


def main() -> None:
    report("bot.redact", redact)
    speed("bot.redact", redact, "bot.redact")
    try:
        import airlock_pii
    except ImportError:
        print("\n(airlock-pii is not importable here: run this file with a venv that has it)")
        return
    report("airlock-pii mask_preview", airlock_pii.mask_preview)
    speed("airlock-pii", airlock_pii.mask_preview, "airlock_pii")


if __name__ == "__main__":
    main()
