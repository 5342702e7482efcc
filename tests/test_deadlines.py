"""Deadline phrases (Срок) -> Deadline: the table of every accepted form, the errors, working days, recurrence, and
deadlines found inside decision texts. Meeting dates are those of the seed protocols."""

from __future__ import annotations

import re
import string
from dataclasses import FrozenInstanceError
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protokol.deadlines import (
    EXAMPLES,
    KINDS,
    Deadline,
    DeadlineError,
    SchoolYear,
    find_deadline_in_text,
    next_occurrence,
    parse_deadline,
)
from protokol.holidays import add_working_days, days_off, is_working_day, public_holidays, working_days_between

D = date
SEED_000 = D(2023, 8, 27)  # «Дата – 27.08.2023г»
SEED_001 = D(2020, 12, 22)
SEED_002 = D(2022, 12, 25)  # «от 25 декабря 2022 года»
SEED_003 = D(2021, 9, 2)  # «“02” сентября 2021»
SEED_004 = D(2024, 1, 9)  # «09 января 2024 года»
M = SEED_000  # a Sunday
REF = D(2024, 3, 5)  # a Tuesday: the day recurring deadlines look forward from


def row(text, meeting, kind, due=None, rule=None, *, ref=REF, id=None):
    return pytest.param(text, meeting, ref, kind, due, rule, id=id or str(text))


TABLE = [
    # --- every Срок in the originals (examples/originals/), as written
    row("Срок: до 15.10.2023 года", SEED_000, "date", D(2023, 10, 15), id="seed000 до 15.10.2023 года"),
    row("Срок: постоянно", SEED_000, "ongoing", id="seed000 постоянно"),
    row("Срок: до 01.09.2023", SEED_002, "date", D(2023, 9, 1), id="seed002 до 01.09.2023"),
    row("     Срок: постоянно", SEED_002, "ongoing", id="seed002 indented постоянно"),
    row("В срок до 01.08.2023 года", SEED_002, "date", D(2023, 8, 1), id="seed002 В срок до 01.08.2023 года"),
    row("В срок: постоянно", SEED_002, "ongoing", id="seed002 В срок: постоянно"),
    row("Срок: 31 января 2024 года.", SEED_004, "date", D(2024, 1, 31), id="seed004 31 января 2024 года."),
    row("Срок: постоянно.", SEED_004, "ongoing", id="seed004 постоянно."),
    row("Срок: январь-июнь 2024 года.", SEED_004, "date", D(2024, 6, 30), id="seed004 январь-июнь 2024 года."),
    row("до 01 июля 2024 года.", SEED_004, "date", D(2024, 7, 1), id="seed004 до 01 июля 2024 года."),
    row("В срок до 15.01.2021", SEED_001, "date", D(2021, 1, 15), id="seed001 В срок до 15.01.2021"),
    row("27.08.2023г", SEED_000, "date", D(2023, 8, 27), id="seed000 date 27.08.2023г"),
    row("“02” сентября 2021", SEED_003, "date", D(2021, 9, 2), id="seed003 “02” сентября 2021"),
    # --- a date
    row("15.10.2023", M, "date", D(2023, 10, 15)),
    row("до 15.10.2023 года", M, "date", D(2023, 10, 15)),
    row("15.10.2023г", M, "date", D(2023, 10, 15)),
    row("15.10.2023 г.", M, "date", D(2023, 10, 15)),
    row("к 1 сентября 2024 г.", M, "date", D(2024, 9, 1)),
    row("31 января 2024 года", M, "date", D(2024, 1, 31)),
    row("до 01 июля 2024 года", M, "date", D(2024, 7, 1)),
    row("В срок до 01.08.2024 года", M, "date", D(2024, 8, 1)),
    row('"02" сентября 2023', M, "date", D(2023, 9, 2)),
    row("«02» сентября 2023 г.", M, "date", D(2023, 9, 2)),
    row("2024-01-31", M, "date", D(2024, 1, 31)),
    row("до 2024-01-31", M, "date", D(2024, 1, 31)),
    row("15.10.23", M, "date", D(2023, 10, 15)),
    row("01.09.2023 г.", M, "date", D(2023, 9, 1)),
    row("не позднее 10.11.2023", M, "date", D(2023, 11, 10)),
    row("по 15.10.2023 включительно", M, "date", D(2023, 10, 15)),
    row("до 1-го сентября 2024 года", M, "date", D(2024, 9, 1)),
    row("до 15 окт. 2023", M, "date", D(2023, 10, 15)),
    row("ДО 15.10.2023 ГОДА", M, "date", D(2023, 10, 15)),
    row("  до \u00a0 15.10.2023   года ;", M, "date", D(2023, 10, 15), id="spaces and trailing semicolon"),
    row("срок исполнения: 20 февраля 2024 г.", M, "date", D(2024, 2, 20)),
    row("29.02.2024", M, "date", D(2024, 2, 29)),
    # --- a date without a year: the meeting's year, or the next when it would fall before the meeting
    row("до 20 мая", M, "date", D(2024, 5, 20)),
    row("до 20 сентября", M, "date", D(2023, 9, 20)),
    row("20.05", M, "date", D(2024, 5, 20)),
    row("27.08", M, "date", D(2023, 8, 27), id="27.08 on the meeting day"),
    row("26.08", M, "date", D(2024, 8, 26), id="26.08 the day before the meeting"),
    row("до 29.02", M, "date", D(2024, 2, 29)),
    # --- months
    row("май 2024 г.", M, "date", D(2024, 5, 31)),
    row("в мае 2024 года", M, "date", D(2024, 5, 31)),
    row("в феврале 2024 года", M, "date", D(2024, 2, 29)),
    row("в течение октября 2023 г.", M, "date", D(2023, 10, 31)),
    row("до конца мая", M, "date", D(2024, 5, 31)),
    row("до конца сентября", M, "date", D(2023, 9, 30)),
    row("до конца августа", M, "date", D(2023, 8, 31)),
    row("в ноябре", M, "date", D(2023, 11, 30)),
    row("до конца месяца", M, "date", D(2023, 8, 31)),
    row("в течение текущего месяца", SEED_004, "date", D(2024, 1, 31)),
    # --- month ranges
    row("январь-июнь 2024 года", M, "date", D(2024, 6, 30)),
    row("январь – июнь 2024", M, "date", D(2024, 6, 30)),
    row("сентябрь 2023 – май 2024", M, "date", D(2024, 5, 31)),
    row("с января по июнь 2024 года", M, "date", D(2024, 6, 30)),
    row("ноябрь-декабрь", M, "date", D(2023, 12, 31)),
    row("март-апрель", M, "date", D(2024, 4, 30)),
    # --- quarters
    row("II квартал 2024 г.", M, "date", D(2024, 6, 30)),
    row("2 квартал 2024", M, "date", D(2024, 6, 30)),
    row("в течение I квартала 2024 года", M, "date", D(2024, 3, 31)),
    row("IV кв. 2023 г.", M, "date", D(2023, 12, 31)),
    row("в 3-м квартале 2024 года", M, "date", D(2024, 9, 30)),
    row("до конца третьего квартала 2024 года", M, "date", D(2024, 9, 30)),
    row("до конца квартала", M, "date", D(2023, 9, 30)),
    row("до конца квартала", SEED_002, "date", D(2022, 12, 31), id="до конца квартала in December"),
    row("I квартал", M, "date", D(2024, 3, 31), id="I квартал after it ended: next year"),
    row("III квартал", SEED_004, "date", D(2024, 9, 30)),
    # --- half-years
    row("I полугодие 2024 г.", M, "date", D(2024, 6, 30)),
    row("первое полугодие 2024", M, "date", D(2024, 6, 30)),
    row("второе полугодие 2024 года", M, "date", D(2024, 12, 31)),
    row("в течение II полугодия 2023 года", M, "date", D(2023, 12, 31)),
    row("до конца полугодия", M, "date", D(2023, 12, 31)),
    row("до конца полугодия", SEED_004, "date", D(2024, 6, 30), id="до конца полугодия in January"),
    row("I полугодие", M, "date", D(2024, 6, 30), id="I полугодие after it ended: next year"),
    # --- calendar years
    row("в течение 2024 года", M, "date", D(2024, 12, 31)),
    row("2024 год", M, "date", D(2024, 12, 31)),
    row("в 2024 году", M, "date", D(2024, 12, 31)),
    row("до конца года", M, "date", D(2023, 12, 31)),
    row("до конца 2024 года", M, "date", D(2024, 12, 31)),
    row("в течение года", M, "date", D(2023, 12, 31)),
    row("в течение текущего года", SEED_004, "date", D(2024, 12, 31)),
    # --- school years (end 31 August, first half 31 December, second half 31 May)
    row("2023-2024 учебный год", M, "date", D(2024, 8, 31)),
    row("в течение 2023/2024 учебного года", M, "date", D(2024, 8, 31)),
    row("на 2023-2024 уч. год", M, "date", D(2024, 8, 31)),
    row("в 2023-24 учебном году", M, "date", D(2024, 8, 31)),
    row("до конца учебного года", SEED_004, "date", D(2024, 8, 31)),
    # The literal rule «the school year containing the meeting»: an August meeting is still in the old school year.
    row("до конца учебного года", M, "date", D(2023, 8, 31), id="до конца учебного года at an August meeting"),
    row("в течение учебного года", SEED_003, "date", D(2022, 8, 31)),
    row("до конца текущего учебного года", SEED_002, "date", D(2023, 8, 31)),
    row("до конца I полугодия 2024-2025 учебного года", M, "date", D(2024, 12, 31)),
    row("II полугодие 2023-2024 учебного года", M, "date", D(2024, 5, 31)),
    row("I полугодие 2023/24 уч. года", M, "date", D(2023, 12, 31)),
    row("во II полугодии текущего учебного года", SEED_004, "date", D(2024, 5, 31)),
    row("I полугодие учебного года", SEED_004, "date", D(2024, 12, 31), id="I полугодие учебного года after it ended"),
    row("I полугодие текущего учебного года", SEED_004, "date", D(2023, 12, 31)),
    # --- relative to the meeting (Sunday 27.08.2023)
    row("в недельный срок", M, "date", D(2023, 9, 3)),
    row("в трёхдневный срок", M, "date", D(2023, 8, 30)),
    row("в трехдневный срок", M, "date", D(2023, 8, 30)),
    row("в 3-х дневный срок", M, "date", D(2023, 8, 30)),
    row("в 10-дневный срок", M, "date", D(2023, 9, 6)),
    row("в десятидневный срок", M, "date", D(2023, 9, 6)),
    row("в пятнадцатидневный срок", M, "date", D(2023, 9, 11)),
    row("в двадцатипятидневный срок", M, "date", D(2023, 9, 21)),
    row("в пятидневный срок со дня совещания", M, "date", D(2023, 9, 1)),
    row("в двухнедельный срок", M, "date", D(2023, 9, 10)),
    row("в месячный срок", M, "date", D(2023, 9, 27)),
    row("в трехмесячный срок", M, "date", D(2023, 11, 27)),
    row("в течение месяца", M, "date", D(2023, 9, 27)),
    row("в течение недели", M, "date", D(2023, 9, 3)),
    row("в течение 10 дней", M, "date", D(2023, 9, 6)),
    row("в течение 10 календарных дней", M, "date", D(2023, 9, 6)),
    row("в течение десяти дней", M, "date", D(2023, 9, 6)),
    row("в течение тридцати дней", M, "date", D(2023, 9, 26)),
    row("в течение двадцати одного дня", M, "date", D(2023, 9, 17)),
    row("в течение двух недель", M, "date", D(2023, 9, 10)),
    row("в течение 3 месяцев", M, "date", D(2023, 11, 27)),
    row("в течение трех месяцев", M, "date", D(2023, 11, 27)),
    row("в течение одного месяца", M, "date", D(2023, 9, 27)),
    row("в течение 10 рабочих дней", M, "date", D(2023, 9, 8)),
    row("в течение пяти рабочих дней", M, "date", D(2023, 9, 1)),
    row("в течение 10 (десяти) рабочих дней", M, "date", D(2023, 9, 8)),
    row("в течение месяца", D(2024, 1, 31), "date", D(2024, 2, 29), id="в течение месяца clamps to 29 Feb"),
    row("в месячный срок", D(2023, 1, 31), "date", D(2023, 2, 28), id="в месячный срок clamps to 28 Feb"),
    row("в течение 3 месяцев", D(2023, 11, 30), "date", D(2024, 2, 29), id="3 months clamps across the year"),
    # --- recurring: next occurrence on or after REF (Tuesday 05.03.2024)
    row("ежедневно", M, "recurring", D(2024, 3, 5), "daily"),
    row("еженедельно", M, "recurring", D(2024, 3, 8), "weekly:4"),
    row("еженедельно по пятницам", M, "recurring", D(2024, 3, 8), "weekly:4"),
    row("еженедельно по понедельникам", M, "recurring", D(2024, 3, 11), "weekly:0"),
    row("еженедельно по вторникам", M, "recurring", D(2024, 3, 5), "weekly:1"),
    row("еженедельно в среду", M, "recurring", D(2024, 3, 6), "weekly:2"),
    row("по четвергам", M, "recurring", D(2024, 3, 7), "weekly:3"),
    row("еженедельно по воскресеньям", M, "recurring", D(2024, 3, 10), "weekly:6"),
    row("ежемесячно", M, "recurring", D(2024, 3, 31), "monthly"),
    row("ежемесячно до 10 числа", M, "recurring", D(2024, 3, 10), "monthly:10"),
    row("ежемесячно до 5-го числа", M, "recurring", D(2024, 3, 5), "monthly:5"),
    row("ежемесячно, до 4 числа месяца, следующего за отчетным", M, "recurring", D(2024, 4, 4), "monthly:4"),
    row("ежеквартально", M, "recurring", D(2024, 3, 31), "quarterly"),
    row("ежеквартально до 10 числа месяца, следующего за отчетным", M, "recurring", D(2024, 4, 10), "quarterly:10"),
    row("ежеквартально до 10 числа", M, "recurring", D(2024, 4, 10), "quarterly:10"),
    row("ежегодно", M, "recurring", D(2024, 12, 31), "yearly"),
    row("ежегодно до 1 сентября", M, "recurring", D(2024, 9, 1), "yearly:09-01"),
    row("ежегодно до 01.09", M, "recurring", D(2024, 9, 1), "yearly:09-01"),
    row("ежегодно к 1 марта", M, "recurring", D(2025, 3, 1), "yearly:03-01"),
    row("ежегодно в мае", M, "recurring", D(2024, 5, 31), "yearly:05-31"),
    row("Срок: ежемесячно до 10 числа", M, "recurring", D(2024, 3, 10), "monthly:10", ref=D(2024, 3, 10),
        id="ежемесячно до 10 числа on the 10th itself"),
    # --- ongoing
    row("постоянно", M, "ongoing"),
    row("Постоянно.", M, "ongoing"),
    row("в течение всего периода", M, "ongoing"),
    row("систематически", M, "ongoing"),
    row("регулярно", M, "ongoing"),
    row("на постоянной основе", M, "ongoing"),
    # --- as needed
    row("по мере необходимости", M, "as_needed"),
    row("по мере поступления", M, "as_needed"),
    row("по мере поступления документов", M, "as_needed"),
    row("при необходимости", M, "as_needed"),
    row("Срок: по мере необходимости", M, "as_needed"),
    # --- none
    row(None, M, "none", id="None"),
    row("", M, "none", id="empty"),
    row("   \n\t", M, "none", id="whitespace"),
]


# Phrases a secretary writes that the first grammar refused (issue 13), by kind of phrase. Meetings: M (Sunday
# 27.08.2023), SEED_004 (Tuesday 09.01.2024), SEED_002 (Sunday 25.12.2022); recurring ones look forward from REF
# (Tuesday 05.03.2024).
NEW_PHRASES = [
    # --- recurring: the day of each month, each quarter, «N раз в период», every year / week / day
    row("до 20 числа каждого месяца", M, "recurring", D(2024, 3, 20), "monthly:20"),
    row("до 5 числа каждого месяца", M, "recurring", D(2024, 3, 5), "monthly:5"),
    row("не позднее 25-го числа каждого месяца", M, "recurring", D(2024, 3, 25), "monthly:25"),
    row("к 1 числу каждого месяца", M, "recurring", D(2024, 4, 1), "monthly:1"),
    row("до 10 числа ежемесячно", M, "recurring", D(2024, 3, 10), "monthly:10"),
    row("до 5 числа месяца, следующего за отчетным", M, "recurring", D(2024, 3, 5), "monthly:5"),
    row("каждый месяц до 15 числа", M, "recurring", D(2024, 3, 15), "monthly:15"),
    row("каждый месяц", M, "recurring", D(2024, 3, 31), "monthly"),
    row("в конце каждого месяца", M, "recurring", D(2024, 3, 31), "monthly"),
    row("по итогам каждого месяца", M, "recurring", D(2024, 3, 31), "monthly"),
    row("1 раз в месяц", M, "recurring", D(2024, 3, 31), "monthly"),
    row("раз в месяц", M, "recurring", D(2024, 3, 31), "monthly"),
    row("один раз в месяц", M, "recurring", D(2024, 3, 31), "monthly"),
    row("каждый квартал", M, "recurring", D(2024, 3, 31), "quarterly"),
    row("каждого квартала", M, "recurring", D(2024, 3, 31), "quarterly"),
    row("каждого месяца", M, "recurring", D(2024, 3, 31), "monthly"),
    row("каждого полугодия", M, "recurring", D(2024, 6, 30), "halfyearly"),
    row("по итогам каждого квартала", M, "recurring", D(2024, 3, 31), "quarterly"),
    row("в конце каждого квартала", M, "recurring", D(2024, 3, 31), "quarterly"),
    row("до 10 числа каждого квартала", M, "recurring", D(2024, 4, 10), "quarterly:10"),
    row("до 15 числа месяца, следующего за отчетным кварталом", M, "recurring", D(2024, 4, 15), "quarterly:15"),
    row("1 раз в квартал", M, "recurring", D(2024, 3, 31), "quarterly"),
    row("3 раза в квартал", M, "recurring", D(2024, 3, 31), "monthly"),
    row("1 раз в полугодие", M, "recurring", D(2024, 6, 30), "halfyearly"),
    row("раз в полгода", M, "recurring", D(2024, 6, 30), "halfyearly"),
    row("2 раза в полугодие", M, "recurring", D(2024, 3, 31), "quarterly"),
    row("ежеполугодно", M, "recurring", D(2024, 6, 30), "halfyearly"),
    row("каждое полугодие", M, "recurring", D(2024, 12, 31), "halfyearly", ref=D(2024, 7, 1)),
    row("по итогам каждого полугодия", M, "recurring", D(2024, 6, 30), "halfyearly"),
    row("1 раз в год", M, "recurring", D(2024, 12, 31), "yearly"),
    row("2 раза в год", M, "recurring", D(2024, 6, 30), "halfyearly"),
    row("два раза в год", M, "recurring", D(2024, 6, 30), "halfyearly"),
    row("4 раза в год", M, "recurring", D(2024, 3, 31), "quarterly"),
    row("12 раз в год", M, "recurring", D(2024, 3, 31), "monthly"),
    row("каждый год", M, "recurring", D(2024, 12, 31), "yearly"),
    row("каждый год в мае", M, "recurring", D(2024, 5, 31), "yearly:05-31"),
    row("ежегодно в декабре", M, "recurring", D(2024, 12, 31), "yearly:12-31"),
    row("ежегодно, не позднее 15 января", M, "recurring", D(2025, 1, 15), "yearly:01-15"),
    row("каждый год до 01.09", M, "recurring", D(2024, 9, 1), "yearly:09-01"),
    row("каждую неделю", M, "recurring", D(2024, 3, 8), "weekly:4"),
    row("1 раз в неделю", M, "recurring", D(2024, 3, 8), "weekly:4"),
    row("каждый день", M, "recurring", D(2024, 3, 5), "daily"),
    # --- relative to the meeting
    row("через 10 дней", M, "date", D(2023, 9, 6)),
    row("через неделю", M, "date", D(2023, 9, 3)),
    row("через месяц", M, "date", D(2023, 9, 27)),
    row("через 5 рабочих дней", M, "date", D(2023, 9, 1)),
    row("в течение трёх календарных дней", M, "date", D(2023, 8, 30)),
    row("в течение 7 календарных дней с даты подписания протокола", M, "date", D(2023, 9, 3)),
    row("в течение 3 рабочих дней со дня заседания", M, "date", D(2023, 8, 30)),
    row("в течение одной недели", M, "date", D(2023, 9, 3)),
    row("в десятидневный срок со дня подписания протокола", M, "date", D(2023, 9, 6)),
    row("не позднее чем через 2 недели", M, "date", D(2023, 9, 10)),
    row("в двухмесячный срок", M, "date", D(2023, 10, 27)),
    row("до 20 числа", M, "date", D(2023, 9, 20), id="до 20 числа after the 20th: next month"),
    row("до 20 числа", SEED_004, "date", D(2024, 1, 20), id="до 20 числа before the 20th: this month"),
    row("до 20 числа следующего месяца", M, "date", D(2023, 9, 20)),
    row("до 25 числа текущего месяца", SEED_004, "date", D(2024, 1, 25)),
    row("до 31 числа следующего месяца", SEED_004, "date", D(2024, 2, 29)),
    # --- relative to the year and the school year
    row("к концу года", M, "date", D(2023, 12, 31)),
    row("к концу текущего года", M, "date", D(2023, 12, 31)),
    row("до конца текущего календарного года", M, "date", D(2023, 12, 31)),
    row("в текущем календарном году", M, "date", D(2023, 12, 31)),
    row("в следующем году", M, "date", D(2024, 12, 31)),
    row("до конца следующего года", M, "date", D(2024, 12, 31)),
    row("к началу следующего года", M, "date", D(2023, 12, 31)),
    row("до 31 декабря текущего года", M, "date", D(2023, 12, 31)),
    row("до 1 марта следующего года", M, "date", D(2024, 3, 1)),
    row("к началу учебного года", M, "date", D(2023, 8, 31)),
    row("к началу учебного года", SEED_004, "date", D(2024, 8, 31), id="к началу учебного года in January"),
    row("до начала учебного года", SEED_002, "date", D(2023, 8, 31)),
    row("к началу нового учебного года", SEED_004, "date", D(2024, 8, 31)),
    row("к началу 2024-2025 учебного года", M, "date", D(2024, 8, 31)),
    row("к новому учебному году", SEED_004, "date", D(2024, 8, 31)),
    row("к концу учебного года", SEED_004, "date", D(2024, 8, 31)),
    row("к концу квартала", M, "date", D(2023, 9, 30)),
    row("к концу мая", M, "date", D(2024, 5, 31)),
    row("к концу I полугодия 2024 года", M, "date", D(2024, 6, 30)),
    # --- immediate: the meeting day plus immediate_days (3) working days
    row("незамедлительно", M, "date", D(2023, 8, 30)),
    row("немедленно", SEED_004, "date", D(2024, 1, 12)),
    row("срочно", M, "date", D(2023, 8, 30)),
    row("Срок: незамедлительно.", M, "date", D(2023, 8, 30)),
    row("безотлагательно", M, "date", D(2023, 8, 30)),
    row("в кратчайшие сроки", M, "date", D(2023, 8, 30)),
    row("в срочном порядке", M, "date", D(2023, 8, 30)),
    row("немедленно", D(2023, 12, 29), "date", D(2024, 1, 11), id="немедленно across the New Year holidays"),
    # --- by regulation: no date of its own
    row("в установленные сроки", M, "by_regulation"),
    row("в установленный срок", M, "by_regulation"),
    row("в сроки, установленные регламентом", M, "by_regulation"),
    row("в сроки, предусмотренные планом работы", M, "by_regulation"),
    row("в соответствии с регламентом", M, "by_regulation"),
    row("согласно графику", M, "by_regulation"),
    row("в соответствии с планом работы на 2024 год", M, "by_regulation"),
    row("в установленном порядке", M, "by_regulation"),
    row("в установленные законом сроки", M, "by_regulation"),
    row("Срок: в установленные сроки.", M, "by_regulation"),
    row("по регламенту", M, "by_regulation"),
    row("в нормативные сроки", M, "by_regulation"),
]


def test_the_new_phrases_are_many_and_new():
    old = {case.values[0] for case in TABLE}
    assert len({case.values[0] for case in NEW_PHRASES} - old) >= 60


@pytest.mark.parametrize("text, meeting, reference, kind, due, rule", NEW_PHRASES)
def test_new_phrases(text, meeting, reference, kind, due, rule):
    got = parse_deadline(text, meeting, reference)
    assert (got.kind, got.due, got.rule) == (kind, due, rule)
    assert got.text == text.strip()


def test_immediate_days_is_a_setting():
    sy = SchoolYear(immediate_days=1)
    assert parse_deadline("незамедлительно", M, REF, sy).due == D(2023, 8, 28)
    assert parse_deadline("немедленно", D(2024, 5, 8), REF, SchoolYear(immediate_days=2)).due == D(2024, 5, 13)


@pytest.mark.parametrize("text, near", [
    ("1 раз в полугоди", "1 раз в полугодие"),
    ("в течении недели", "в течение недели"),
    ("незамедлитель", "незамедлительно"),
    ("в установленый срок", "в установленный срок"),
    ("до 20 числа кажд. месяца", "до 20 числа каждого месяца"),
])
def test_an_unknown_phrase_names_the_nearest_accepted_forms(text, near):
    with pytest.raises(DeadlineError) as info:
        parse_deadline(text, M, REF)
    assert info.value.examples[0] == near
    assert set(EXAMPLES) <= set(info.value.examples)
    assert "month name" not in info.value.message


@pytest.mark.parametrize("text", ["1 раз в полгода по средам", "до 20 числа кажд. месяца", "2 раза в неделю",
                                  "5 раз в год"])
def test_no_misleading_month_reason(text):
    with pytest.raises(DeadlineError) as info:
        parse_deadline(text, M, REF)
    assert "month name" not in info.value.message


@pytest.mark.parametrize("text, meeting, reference, kind, due, rule", TABLE)
def test_table(text, meeting, reference, kind, due, rule):
    got = parse_deadline(text, meeting, reference)
    assert (got.kind, got.due, got.rule) == (kind, due, rule)
    assert got.text == (text.strip() if kind != "none" else None)


@pytest.mark.parametrize("text, due", [
    ("2023-2024 учебный год", D(2024, 6, 30)),
    ("II полугодие 2023-2024 учебного года", D(2024, 5, 25)),
    ("I полугодие 2023-2024 учебного года", D(2023, 12, 25)),
    ("до конца учебного года", D(2024, 6, 30)),
])
def test_school_year_settings(text, due):
    sy = SchoolYear(end=(6, 30), first_half_end=(12, 25), second_half_end=(5, 25))
    assert parse_deadline(text, SEED_004, REF, sy).due == due


def test_school_year_whose_first_half_ends_in_the_second_calendar_year():
    sy = SchoolYear(end=(8, 31), first_half_end=(1, 15), second_half_end=(5, 31))
    assert parse_deadline("I полугодие 2023-2024 учебного года", M, REF, sy).due == D(2024, 1, 15)


# ------------------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize("text, meeting, wrong, words", [
    ("скоро", M, "скоро", []),
    ("в 2024 году на следующей неделе", M, "на следующей неделе", ["Unexpected"]),
    ("до 35.10.2023", M, "35.10.2023", ["35"]),
    ("31.02.2024", M, "31.02.2024", ["31", "2"]),
    ("Срок:   до 35.10.2023 года", M, "35.10.2023", ["35"]),
    ("до «35» октября 2023", M, "35» октября 2023", ["35"]),
    ("до 15 брюмера 2024", M, "брюмера", ["брюмера"]),
    ("Срок: 15.13.2023", M, "15.13.2023", ["13"]),
    ("до 15.10.3023", M, "3023", ["3023"]),
    ("V квартал 2024", M, "V", ["four"]),
    ("III полугодие 2024", M, "III", ["two"]),
    ("2023-2025 учебный год", M, "2023-2025", []),
    ("2023-2024", M, "2023-2024", ["учебный год"]),
    ("в течение 2 лет", M, "в течение 2 лет", []),
    ("в течение 2 рабочих недель", M, "недель", ["Working"]),
    ("в течение дней", M, "дней", []),
    ("в течение 10 (девяти) дней", M, "10 (девяти)", ["10"]),
    ("в течение 0 дней", M, "в течение 0 дней", []),
    ("в дневный срок", M, "дневный", []),
    ("10 дней", M, "дней", ["в течение"]),
    ("ежемесячно до 35 числа", M, "35", ["35"]),
    ("ежегодно до 31.02", M, "31.02", ["31"]),
    ("май-январь 2024", M, "май-январь 2024", []),
    ("сентябрь 2023 – май", M, "сентябрь 2023 – май", []),
    ("Срок:", M, "Срок:", []),
    ("до 2024 года", M, "до 2024 года", []),
    ("в течение квартала", M, "в течение квартала", []),
    ("29.02", D(2022, 3, 1), "29.02", ["2023"]),
    ("постоянно, но не всегда", M, "но не всегда", []),
])
def test_errors(text, meeting, wrong, words):
    with pytest.raises(DeadlineError) as info:
        parse_deadline(text, meeting, REF)
    err = info.value
    assert isinstance(err, ValueError)
    assert text[err.start:err.end] == wrong
    assert err.message and str(err) == err.message
    for w in words:
        assert w in err.message
    assert set(EXAMPLES) <= set(err.examples)


def test_examples_are_accepted():
    assert 8 <= len(EXAMPLES) <= 15
    for e in EXAMPLES:
        assert parse_deadline(e, M, REF).kind in KINDS


@given(st.text(alphabet="0123456789 .-–/:«»\"ёЁгдокмнячсаяПВСIVX()", max_size=40)
       | st.sampled_from([row.values[0] or "" for row in TABLE]).map(lambda t: t + " ещё"))
def test_never_fails_other_than_by_deadline_error(text):
    try:
        got = parse_deadline(text, M, REF)
    except DeadlineError as err:
        assert 0 <= err.start <= err.end <= len(text)
    else:
        assert got.kind in KINDS
        assert (got.due is None) == (got.kind in ("ongoing", "as_needed", "none"))


@given(st.dates(D(1990, 1, 1), D(2150, 12, 31)))
def test_every_printed_date_reads_back(d):
    from protokol.rudates import format_date

    for style in ("long", "numeric", "quoted"):
        assert parse_deadline(format_date(d, style), M, REF).due == d
    assert parse_deadline(d.isoformat(), M, REF).due == d
    assert parse_deadline(f"до {d:%d.%m.%Y} года", M, REF).due == d


def test_accepts_a_date_from_yaml_and_sets_of_extra_days():
    assert parse_deadline(D(2024, 1, 31), M, REF) == Deadline("2024-01-31", "date", D(2024, 1, 31))
    got = parse_deadline("в течение 1 рабочего дня", D(2024, 5, 8), REF, extra_holidays={D(2024, 5, 10)})
    assert got.due == D(2024, 5, 13)


def test_deadline_is_frozen():
    with pytest.raises(FrozenInstanceError):
        parse_deadline("постоянно", M, REF).kind = "none"


# ------------------------------------------------------------------------------------------------ working days
def test_working_days_across_may_holidays():
    # 26.04.2024 is a Friday; 1 May is a holiday. By the rules alone: 29, 30 Apr, 2, 3, 6 May.
    assert add_working_days(D(2024, 4, 26), 5) == D(2024, 5, 6)
    assert parse_deadline("в течение 5 рабочих дней", D(2024, 4, 26), REF).due == D(2024, 5, 6)
    # The 2024 decree: Saturday 27 April worked, 10 May off.
    decree = {"extra_holidays": frozenset({D(2024, 5, 10)}), "extra_workdays": frozenset({D(2024, 4, 27)})}
    assert add_working_days(D(2024, 4, 26), 5, **decree) == D(2024, 5, 3)
    assert parse_deadline("в течение 5 рабочих дней", D(2024, 4, 26), REF, **decree).due == D(2024, 5, 3)
    # 9 May (Thursday) is skipped.
    assert add_working_days(D(2024, 5, 7), 3) == D(2024, 5, 13)


def test_working_days_across_new_year():
    # Thursday 28.12.2023: 29 Dec, then 1-8 January are off, then 9 and 10 January.
    assert add_working_days(D(2023, 12, 28), 3) == D(2024, 1, 10)
    assert all(not is_working_day(D(2024, 1, d)) for d in range(1, 9))
    assert is_working_day(D(2024, 1, 9))


@pytest.mark.parametrize("holiday, moved_to", [
    (D(2023, 11, 4), D(2023, 11, 6)),  # Saturday -> Monday
    (D(2021, 5, 9), D(2021, 5, 10)),  # Sunday -> Monday
    (D(2020, 3, 8), D(2020, 3, 9)),
    (D(2022, 6, 12), D(2022, 6, 13)),
    (D(2019, 2, 23), D(2019, 2, 25)),
])
def test_a_holiday_on_a_weekend_moves_the_day_off(holiday, moved_to):
    assert holiday.weekday() >= 5
    assert not is_working_day(moved_to)
    assert moved_to in days_off(holiday.year)
    assert is_working_day(moved_to + timedelta(days=1))


def test_weekend_holiday_in_a_working_day_count():
    # Thursday 02.11.2023: Friday 3 Nov, Monday 6 Nov is off (4 Nov was a Saturday), Tuesday 7 Nov.
    assert add_working_days(D(2023, 11, 2), 2) == D(2023, 11, 7)


def test_january_holidays_on_a_weekend_are_not_moved_by_the_rules():
    # 1 and 2 January 2022 were Saturday and Sunday: only the yearly decree moves them (art. 112 part 2).
    assert D(2022, 1, 1).weekday() == 5
    assert is_working_day(D(2022, 1, 10))
    assert not is_working_day(D(2022, 1, 3))
    assert {d for d in days_off(2022) if d.month == 1} == {D(2022, 1, d) for d in range(1, 9)}


def test_extra_days_win_and_old_january():
    assert is_working_day(D(2024, 5, 1), extra_workdays={D(2024, 5, 1)})
    assert not is_working_day(D(2024, 5, 15), extra_holidays={D(2024, 5, 15)})
    assert D(2012, 1, 6) not in public_holidays(2012) and D(2012, 1, 7) in public_holidays(2012)
    assert D(2013, 1, 8) in public_holidays(2013)


def test_working_days_between():
    assert working_days_between(D(2024, 4, 26), D(2024, 5, 6)) == 5
    assert working_days_between(D(2024, 5, 6), D(2024, 4, 26)) == -5
    assert working_days_between(D(2024, 5, 6), D(2024, 5, 6)) == 0
    assert add_working_days(D(2024, 5, 6), -5) == D(2024, 4, 26)


# ------------------------------------------------------------------------------------------------ recurrence
@pytest.mark.parametrize("rule, on_or_after, expected", [
    ("daily", D(2024, 3, 5), D(2024, 3, 5)),
    ("weekly", D(2024, 3, 5), D(2024, 3, 8)),
    ("weekly:4", D(2024, 3, 9), D(2024, 3, 15)),
    ("weekly:1", D(2024, 3, 5), D(2024, 3, 5)),
    ("weekly:0", D(2024, 3, 5), D(2024, 3, 11)),
    ("weekly:6", D(2024, 3, 5), D(2024, 3, 10)),
    ("monthly", D(2024, 2, 10), D(2024, 2, 29)),
    ("monthly", D(2024, 2, 29), D(2024, 2, 29)),
    ("monthly:10", D(2024, 3, 10), D(2024, 3, 10)),
    ("monthly:10", D(2024, 3, 11), D(2024, 4, 10)),
    ("monthly:31", D(2024, 2, 1), D(2024, 2, 29)),
    ("monthly:31", D(2024, 4, 1), D(2024, 4, 30)),
    ("monthly:5", D(2024, 12, 6), D(2025, 1, 5)),
    ("quarterly", D(2024, 4, 1), D(2024, 6, 30)),
    ("quarterly", D(2024, 3, 31), D(2024, 3, 31)),
    ("quarterly", D(2024, 11, 2), D(2024, 12, 31)),
    ("quarterly:10", D(2024, 1, 10), D(2024, 1, 10)),
    ("quarterly:10", D(2024, 4, 11), D(2024, 7, 10)),
    ("quarterly:10", D(2024, 10, 11), D(2025, 1, 10)),
    ("yearly", D(2024, 3, 5), D(2024, 12, 31)),
    ("yearly:09-01", D(2024, 9, 1), D(2024, 9, 1)),
    ("yearly:09-01", D(2024, 9, 2), D(2025, 9, 1)),
    ("yearly:02-29", D(2024, 3, 1), D(2025, 2, 28)),
    ("yearly:02-29", D(2027, 3, 1), D(2028, 2, 29)),
    ("halfyearly", D(2024, 3, 5), D(2024, 6, 30)),
    ("halfyearly", D(2024, 6, 30), D(2024, 6, 30)),
    ("halfyearly", D(2024, 7, 1), D(2024, 12, 31)),
])
def test_next_occurrence(rule, on_or_after, expected):
    assert next_occurrence(rule, on_or_after) == expected


@pytest.mark.parametrize("rule", ["", "hourly", "weekly:7", "monthly:0", "monthly:32", "yearly:13-01", "yearly:02-30",
                                  "yearly:5", "daily:1", "weekly:01-02", "quarterly:40", "Monthly",
                                  "halfyearly:1"])
def test_next_occurrence_rejects_bad_rules(rule):
    with pytest.raises(ValueError):
        next_occurrence(rule, REF)


RULES = ["daily", "weekly", "weekly:0", "weekly:6", "monthly", "monthly:1", "monthly:15", "monthly:31", "quarterly",
         "quarterly:10", "quarterly:31", "halfyearly", "yearly", "yearly:01-01", "yearly:02-29", "yearly:12-31"]


@given(st.sampled_from(RULES), st.dates(D(1990, 1, 1), D(2150, 12, 31)))
def test_next_occurrence_is_the_first_on_or_after(rule, d):
    due = next_occurrence(rule, d)
    assert d <= due <= d + timedelta(days=366)
    assert next_occurrence(rule, due) == due
    # closing an occurrence moves strictly forward, and no occurrence is skipped between d and due
    assert next_occurrence(rule, due + timedelta(days=1)) > due
    if due > d:
        assert next_occurrence(rule, due - timedelta(days=1)) == due


# ------------------------------------------------------------------------------------------------ in text
SEED_004_REPORT = ("-представить отчет о результатах проведения мер и мероприятий, направленных на повышение качества "
                   "образования. до 01 июля 2024 года.")


@pytest.mark.parametrize("text, phrase, due", [
    (SEED_004_REPORT, "до 01 июля 2024 года", D(2024, 7, 1)),
    ("В срок до 15.01.2021 подготовить план – график мероприятий в рамках взаимодействия школ – партнеров:",
     "В срок до 15.01.2021", D(2021, 1, 15)),
    ("Представить информацию в течение 10 рабочих дней.", "в течение 10 рабочих дней", D(2023, 9, 8)),
    ("Отчет направлять ежемесячно до 5-го числа в отдел образования", "ежемесячно до 5-го числа", D(2024, 3, 5)),
    ("Провести инвентаризацию к 1 сентября 2024 г.", "к 1 сентября 2024 г", D(2024, 9, 1)),
    ("срок исполнения пункта 2.4 продлить до 31.05.2024", "до 31.05.2024", D(2024, 5, 31)),
    ("Подготовить план. Срок: постоянно", "Срок: постоянно", None),
    ("Заслушать отчеты.\nСдать отчеты в недельный срок", "в недельный срок", D(2023, 9, 3)),
    ("Завершить работу до конца I полугодия 2024-2025 учебного года и доложить",
     "до конца I полугодия 2024-2025 учебного года", D(2024, 12, 31)),
    ("Сдавать сведения ежеквартально до 10 числа месяца, следующего за отчетным.",
     "ежеквартально до 10 числа месяца, следующего за отчетным", D(2024, 4, 10)),
    ("Отчёты представлять до 20 числа каждого месяца в отдел образования.", "до 20 числа каждого месяца",
     D(2024, 3, 20)),
    ("Подготовить кабинеты к началу учебного года.", "к началу учебного года", D(2023, 8, 31)),
    ("Оплатить счета до 31 декабря текущего года.", "до 31 декабря текущего года", D(2023, 12, 31)),
])
def test_find_deadline_in_text(text, phrase, due):
    start, end, found = find_deadline_in_text(text)
    assert found == phrase == text[start:end]
    assert parse_deadline(found, M, REF).due == due


# Decision texts copied from the originals (examples/originals/): none holds a deadline.
@pytest.mark.parametrize("text", [
    "Корректировать при необходимости комплекс мер по повышению эффективности качества образовательного процесса.",
    "Результаты оценки управленческих механизмов за 2022-2023 учебный год в разрезе МО Система оценки качества "
    "подготовки обучающихся",
    "Отчет об итогах участия ОО Западнодвинского муниципального округа в региональном исследовании эффективности "
    "развития внутренних систем оценки качества образования в 2022 году».",
    "Анализ результатов оценки управленческих механизмов за 2022 год.",
    "В ноябре-декабре 2023 года проведен муниципальный мониторинг показателей деятельности ОУ в 2023-2024 учебном году.",
    "В целом по результатам данного мониторинга не выявлено школ, имеющих низкие образовательные результаты по итогам "
    "ВПР/ОГЭ/ЕГЭ в один год минимум в двух различных процедурах или минимум по одному разу в течение последних 2 лет "
    "подряд в одной процедуре. Но ситуация ... в МБОУ «Краснохолмская сош № 1» (школа с низкими образовательными "
    "результатами в 2021г.) является критической. В ней в течение трех лет наблюдается нестабильная положительная "
    "динамика. Улучшение результатов в 2022г. стало возможным. Но в 2023г. уровень образовательных результатов ЕГЭ и "
    "ОГЭ опять упал.",
    "Время – до 5 минут.",
    "Руководителям ОО продолжить работу по развитию системы управления качеством образования (диагностика, "
    "мониторинг, контроль, эффективность принимаемых мер).",
    "В соответствии с показателями МУМ актуализировать «дорожные карты» проведения оценки механизмов управления "
    "качеством образования.",
    "(из Доклада министра образования Красноярского края С.И. Маковской на августовском педагогическом совете "
    "25 августа 2020 года «Образование 2020 +: управление качеством в условиях изменений»).",
    "Информацию Ивановой Н.В. принять к сведению.",
    "- взять на контроль качество подготовки к ЕГЭ, ОГЭ.",
    "- проведение проектов по совместному развитию профессионального мастерства среди педагогических работников ДОО;",
    "Информация ежемесячно обновляется на сайте.",
    "В течение 2023 года проведено 5 семинаров.",
    "",
])
def test_no_deadline_in_ordinary_text(text):
    assert find_deadline_in_text(text) is None


# ------------------------------------------------------------------------------------------------ messages
PO = Path(__file__).resolve().parent.parent / "src" / "protokol" / "locale" / "ru" / "deadlines.po"
SOURCES = [Path(__file__).resolve().parent.parent / "src" / "protokol" / f"{name}.py"
           for name in ("deadlines", "deadline_forms", "deadline_rules", "deadline_words", "recurrence")]


def _po_messages(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', text, flags=re.M)
    return {k: v for k, v in pairs if k}


def test_every_message_has_a_russian_translation_with_the_same_fields():
    assert "charset=UTF-8" in PO.read_text(encoding="utf-8")
    messages = {found for source in SOURCES
                for found in re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', source.read_text(encoding="utf-8"))}
    po = _po_messages(PO)
    assert messages and messages == set(po)

    def fields(s):
        return {f for _, f, _, _ in string.Formatter().parse(s) if f}

    for msgid, msgstr in po.items():
        assert msgstr and fields(msgid) == fields(msgstr), msgid


def _first_rule_one_by_one(rest: str) -> str | None:
    from protokol.deadlines import _RULES

    for name, rx, _handler in _RULES:
        if rx.fullmatch(rest):
            return name
    return None


def _rest(text: str) -> str:
    from protokol.deadlines import _LEAD, _normalise

    normalised, _positions = _normalise(text)
    lead = _LEAD.match(normalised)
    return normalised[lead.end() if lead else 0:]


_COMBINED: list = []


def _rule_named(rest: str) -> str | None:
    """The rule found through the combined pattern (deadlines._rule_for uses it after its first phrases)."""
    from protokol import deadlines

    if not _COMBINED:
        _COMBINED.append(deadlines._all_rules(deadlines._RULES))
    combined = _COMBINED[0].fullmatch(rest)
    return deadlines._RULES[int(combined.lastgroup[1:])][0] if combined else None


@pytest.mark.parametrize("text", sorted({case.values[0] for case in TABLE + NEW_PHRASES
                                         if isinstance(case.values[0], str)}))
def test_the_combined_rule_pattern_picks_the_rule_a_loop_would(text):
    """deadlines._ANY_RULE finds the first matching rule in one call: it must be the one trying them in order finds."""
    rest = _rest(text)
    assert _rule_named(rest) == _first_rule_one_by_one(rest)


@given(st.lists(st.sampled_from(["до", "в", "течение", "конца", "учебного", "года", "г.", "2024", "15.10.2023", "01",
                                 "января", "мая", "июня", "квартала", "ii", "полугодия", "2023-2024", "-", "ежемесячно",
                                 "числа", "10", "по", "пятницам", "рабочих", "дней", "недели", "месяца", "постоянно"]),
                min_size=1, max_size=6))
def test_the_combined_rule_pattern_agrees_on_random_phrases(words):
    rest = _rest(" ".join(words))
    assert _rule_named(rest) == _first_rule_one_by_one(rest)


# ------------------------------------------------------------------------------------------------ in an archive
def _archive_with(root: Path, phrases: list[str], settings: str = "") -> Path:
    import json

    decisions = "".join(f"      - text: Решение {i}.\n        deadline: {json.dumps(p, ensure_ascii=False)}\n"
                        "        responsible: руководители ОО\n" for i, p in enumerate(phrases, 1))
    (root / "protocols" / "2024").mkdir(parents=True)
    (root / "protokol.yaml").write_text(settings or "numbering: yearly\n", encoding="utf-8")
    path = root / "protocols" / "2024" / "2024-05-14-1.yaml"
    path.write_text("date: 2024-05-14\ntitle: совещания руководителей\nparticipants:\n  chair: Никитина О.В.\n"
                    "  secretary: Фролова Т.С.\nagenda:\n  - number: 1\n    title: Вопрос\n    decided:\n" + decisions,
                    encoding="utf-8")
    return path


def test_check_accepts_every_new_phrase_in_a_protocol(tmp_path: Path):
    from conftest import run_cli

    phrases = sorted({case.values[0] for case in NEW_PHRASES})
    path = _archive_with(tmp_path, phrases)
    result = run_cli("check", str(path), "--today", "2024-06-01")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "deadline-unknown" not in result.stdout


def test_due_lists_a_decision_by_regulation_with_its_kind_and_immediate_days_from_the_settings(tmp_path: Path):
    import json

    from conftest import run_cli

    _archive_with(tmp_path, ["в установленные сроки", "незамедлительно", "до 20 числа каждого месяца"],
                  "immediate_days: 1\n")

    def rows(*options):
        result = run_cli("due", "--root", str(tmp_path), "--today", "2024-06-01", "--format", "json", *options)
        assert result.exit_code == 0, result.stdout + result.stderr
        return {r["id"]: (r["deadline"]["kind"], r["deadline"]["due"], r["overdue"]) for r in json.loads(result.stdout)}

    everything = rows("--all")
    assert everything["2024-05-14-1/1.1"] == ("by_regulation", None, False)
    assert everything["2024-05-14-1/1.2"] == ("date", "2024-05-15", True)  # Tuesday + 1 working day
    assert everything["2024-05-14-1/1.3"][0] == "recurring"
    assert "2024-05-14-1/1.1" not in rows()  # undated: not among the dated open decisions
    assert "2024-05-14-1/1.1" in rows("--ongoing")


def test_every_example_of_the_deadline_table_in_the_docs_is_read_as_documented():
    """docs/due.md's «Deadline phrases» table: each example phrase is accepted and gives the kind its row names."""
    doc = (Path(__file__).resolve().parent.parent / "docs" / "due.md").read_text(encoding="utf-8")
    table = doc.split("## Deadline phrases")[1].split("\n\n")[2]
    checked = 0
    for line in table.splitlines()[2:]:
        _phrase_kind, examples, result = line.strip("|").split("|")
        kind = re.match(r" `(\w+)`", result).group(1)
        for phrase in re.findall(r"«([^»]+)»", examples):
            phrase = re.sub(r"\(([^)]*)\)", r"\1", phrase).replace("  ", " ")  # «до 20 числа (следующего месяца)»
            assert parse_deadline(phrase, M, REF).kind == kind, phrase
            checked += 1
    assert checked >= 30


@pytest.mark.parametrize("text, due", [
    ("26-27 декабря 2023 года", D(2023, 12, 27)),
    ("с 11 по 16 марта 2024 года", D(2024, 3, 16)),
    ("с 11 по 16 марта", D(2024, 3, 16)),
    ("1–15 мая 2024 г.", D(2024, 5, 15)),
])
def test_a_span_of_days_is_due_on_its_last_day(text, due):
    """Minutes plan events over days («провести утренники 26-27 декабря»): the decision is done by the last one."""
    got = parse_deadline(text, D(2023, 10, 18), D(2023, 10, 18))
    assert (got.kind, got.due) == ("date", due)
