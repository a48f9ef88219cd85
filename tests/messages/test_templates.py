"""The mail templates (eventtool/messages/templates/): text and HTML from one context, the HTML
autoescaped (a name or title never becomes markup), the text verbatim, a missing value an error."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from eventtool.messages import content, links
from eventtool.messages.content import Facts, compose, compose_invitation, compose_survey

START = datetime(2026, 12, 9, 9, 0, tzinfo=timezone.utc)
END = datetime(2026, 12, 9, 12, 0, tzinfo=timezone.utc)
NASTY = "<script>alert('x')</script> & \"Co\""


def test_every_template_comes_as_text_and_html_and_is_shipped_beside_the_module():
    names = {p.name for p in content.TEMPLATES.glob("*.j2")}
    assert content.TEMPLATES.parent == Path(content.__file__).resolve().parent
    stems = {n.rsplit(".", 2)[0] for n in names}
    assert {"base", "event", "link"} <= stems
    assert names == {f"{s}.{part}.j2" for s in stems for part in ("txt", "html")}
    for name in names:
        content.ENV.get_template(name)


def test_user_values_are_escaped_in_html_and_verbatim_in_text():
    facts = Facts(NASTY, START, END, NASTY, NASTY, NASTY, [("1", "10:00", "3", NASTY)], True)
    subject, text, html = compose("schedule", "en", NASTY, facts, with_link=True, sender=NASTY, copy_of=NASTY)
    assert "<script>" not in html and html.count("&lt;script&gt;") >= 8
    assert NASTY in subject and NASTY in text and "<script>" in text
    for subject, text, html in (compose_survey("survey", "nl", NASTY, NASTY, START, sender=NASTY, about=NASTY),
                                compose_invitation("nl", NASTY, NASTY, 14, sender=NASTY)):
        assert "<script>" not in html and "&lt;script&gt;" in html and "<script>" in text
        assert f'href="{links.PLACEHOLDER}"' in html and links.PLACEHOLDER in text


def test_the_html_is_one_line_with_the_language_and_the_text_ends_with_one_line_break():
    subject, text, html = compose("reminder", "en", "Jan", Facts("Fair", START, END, "Hall"), with_link=True,
                                  sender="Team", with_code=True)
    assert "\n" not in html and html.startswith('<!DOCTYPE html><html lang="en">') and html.endswith("</html>")
    assert text.startswith("Dear Jan,\n\n") and text.endswith("\nTeam\n") and not text.endswith("\n\n")
    assert links.CODE_PLACEHOLDER in text and links.CODE_PLACEHOLDER in html


def test_a_missing_value_is_an_error_not_a_gap_in_the_mail():
    with pytest.raises(UndefinedError):
        content.render("link", "nl", subject="s", name="n", sender="x", lines=[], link_label="l")


class _Headings(HTMLParser):
    """The headings of an HTML part in order, (level, text); html5lib is not installed here, the
    standard library's parser reads these simple one-line mails alike."""

    def __init__(self):
        super().__init__()
        self.found: list[list] = []
        self._open: int | None = None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._open = int(tag[1])
            self.found.append([self._open, ""])

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self.found[-1][1] += data


def headings(html: str) -> list[tuple[int, str]]:
    parser = _Headings()
    parser.feed(html)
    return [tuple(h) for h in parser.found]


def every_mail():
    schedule = [("1", "10:00", "3", "Bakkerij <Brood>")]
    for kind in ("signup_confirmed", "signup_waitlisted", "promoted", "cancelled", "reminder", "companion_removed",
                 "signup_again", "event_changed", "event_cancelled", "schedule", "schedule_changed", "schedule_removed"):
        for lang in ("nl", "en"):
            for jobseeker in (True, False):
                yield compose(kind, lang, "Anna", Facts("Fair & <Co>", START, END, "Hall", schedule=schedule,
                                                        jobseeker=jobseeker), with_link=True, sender="Team")
            yield compose(kind, lang, "Carla", Facts("Fair & <Co>", START, END, "Hall", schedule=schedule),
                          with_link=False, sender="Team", copy_of="Anna")
    for kind in ("survey", "survey_reminder"):
        for about, employer in ((None, False), ("Anna", False), (None, True)):
            yield compose_survey(kind, "nl", "Anna", "Fair & <Co>", START, sender="Team", about=about, employer=employer)
    yield compose_invitation("en", "Carla", "Olga", 14, sender="Team")


def test_every_mail_has_one_h1_its_subject_before_any_other_heading():
    mails = list(every_mail())
    assert len(mails) == 12 * 2 * 3 + 6 + 1
    for subject, _, html in mails:
        found = headings(html)
        assert [level for level, _ in found].count(1) == 1, (subject, found)
        assert found[0] == (1, subject), (subject, found)
        assert all(level == 2 for level, _ in found[1:]), found  # a schedule, under it
