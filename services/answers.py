"""A ticket's answers to its service's extra questions as people read them: the question's text and the chosen
answers' labels, in the page's language.

The ticket stores the raw answers as filed (``{"ukuran": "kecil", "masalah": ["belum_jadi"]}``): codes and keys,
which stay meaningful to the APIs. Reading them back needs the questions as they are now, and the catalogue moves
on: an answer whose question was deleted, or whose key is no longer offered, shows its raw value instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime

from .models import ServiceAttribute


@dataclass(frozen=True)
class Answer:
    code: str
    question: str
    labels: tuple[str, ...]

    @property
    def text(self) -> str:
        return ", ".join(self.labels)


def _raw(value) -> tuple[str, ...]:
    values = value if isinstance(value, list | tuple) else [value]
    return tuple(str(v) for v in values if v not in (None, ""))


def _labels(question: ServiceAttribute, value) -> tuple[str, ...]:
    datatype = question.datatype
    if datatype in (ServiceAttribute.Datatype.SINGLEVALUELIST, ServiceAttribute.Datatype.MULTIVALUELIST):
        labels = dict(question.choices)
        return tuple(labels.get(key) or key for key in _raw(value))
    if datatype == ServiceAttribute.Datatype.DATETIME and isinstance(value, str):
        try:
            moment = parse_datetime(value)
            day = None if moment else parse_date(value)
        except ValueError:
            moment = day = None
        if moment is not None:
            # As the ticket pages write their other times ("7 Des 2026 02:40 WITA", the zone's name the same in every
            # language), not in the locale's long format ("6 Des. 2026, 8.30").
            try:
                moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
            except OverflowError:  # stored before filing refused moments outside ANSWER_YEARS: shown as sent
                return _raw(value)
            return (formats.date_format(moment, "DATETIME_FORMAT") + " WITA",)
        if day is not None:
            return (formats.date_format(day),)
    if datatype == ServiceAttribute.Datatype.NUMBER and isinstance(value, int | float) and not isinstance(value, bool):
        return (formats.localize(value),)
    return _raw(value)


def read_answers(answers: dict, questions: Iterable[ServiceAttribute]) -> list[Answer]:
    """``answers`` (a ticket's stored answers) against ``questions`` (its service's), in the questions' order; the
    answers to questions no longer asked follow, by code, with their code as the question."""
    if not isinstance(answers, dict):
        return []
    result = []
    asked = set()
    for question in sorted(questions, key=lambda q: (q.order, q.code)):
        if question.code in answers:
            asked.add(question.code)
            labels = _labels(question, answers[question.code])
            if labels:
                result.append(Answer(question.code, question.text, labels))
    for code in sorted(set(answers) - asked):
        labels = _raw(answers[code])
        if labels:
            result.append(Answer(code, code, labels))
    return result


def answers_of(ticket, *, private: bool) -> list[Answer]:
    """The ticket's answers, readable (one query, none when it has no answers). ``private``: whether the reader may
    see answers that identify the citizen (``ServiceAttribute.private``; ``complaints.queries.can_see_reporter``)."""
    if not ticket.attributes:
        return []
    questions = list(ServiceAttribute.objects.filter(service_id=ticket.service_id)) if ticket.service_id else []
    answers = ticket.attributes
    if not private:
        answers = public_answers(answers, questions)
    return read_answers(answers, questions)


def public_answers(answers: dict, questions: Iterable[ServiceAttribute]) -> dict:
    """``answers`` without those to questions that identify the citizen."""
    if not isinstance(answers, dict):
        return {}
    hidden = {question.code for question in questions if question.private}
    return {code: value for code, value in answers.items() if code not in hidden}
