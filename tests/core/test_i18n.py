"""The gettext catalogues (eventtool/core/i18n/locale/<lang>/LC_MESSAGES/messages.po): both parse, every id
is translated in both languages (every plural form too), the same ids in both, none fuzzy, none unused,
the placeholders the same as in Dutch, and every key the code asks for exists."""
import re
from datetime import datetime
from pathlib import Path

from babel.messages.pofile import read_po

from eventtool.core.i18n import COUNT_PARAMS, LANGUAGES, MESSAGES, PLURALS, catalogue_path, format_clock, format_long_date, format_number, format_percent, translate, translate_plural
from eventtool.core.vocab import REGIONS, SECTORS, Adaptation, Audience, EventKind, EventStatus, RegStatus, SupportNeed, TargetGroup

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"{(\w+)}")

# Keys the code builds at run time (f"prefix.{value}", "prefix." + value, f"{vocab}.{value}"), which the
# scan for literal keys cannot see: prefix -> (the files that build them, the suffixes; None: any
# suffix, for families filled from a vocabulary or a list of columns). A prefix no longer built in those
# files fails the test, so the list does not outlive the code.
DYNAMIC = {
    "adaptation.": ("views/employer_organisation.py", None),
    "employer_events.signed_up_": ("views/employer_events.py", None),
    "vacancy.": ("views/employer_organisation.py", ("adaptations", "description", "hours", "place", "title")),
    "audience.": ("eventtool/events/calendars.py", None), "ba.col.": ("eventtool/results/banenafspraak.py", None),
    "chart.col.": ("views/dashboard.py", None), "chart.m": ("eventtool/results/reports.py", None),
    "coach.signed_up_": ("views/coach.py", None), "coach.survey_state.": ("views/coach.py", None),
    "coach.survey_who.": ("views/coach.py", None), "companion.": ("eventtool/registration/registration.py", None),
    "dashboard.by_": ("views/dashboard.py", None), "dayplan.col.": ("views/dayplan.py", None),
    "downloads.": ("views/downloads.py", ("fmt_csv", "fmt_csv_semicolon", "fmt_pdf", "fmt_xlsx")),
    "downloads.scope_": ("views/downloads.py", None), "durability.status.": ("eventtool/results/banenafspraak.py", None),
    "emp.": ("views/register_employer.py", ("contact_name", "email", "offers", "organisation", "phone", "recruiters",
                                            "region", "sectors", "sroi")),
    "event.": ("views/events_admin.py", None), "event_status.": ("views/events_admin.py", None),
    "events.col.": ("views/events_admin.py", None), "events.scope_": ("views/events_admin.py", None),
    "export.attendance.": ("views/downloads.py", None), "exports.col.": ("eventtool/dayof/exports.py", None),
    "exports.section_": ("eventtool/dayof/exports.py", None), "import.columns_": ("views/import_people.py", None),
    "import.field.": ("views/import_people.py", None), "import.kind.": ("views/import_people.py", None),
    "js.": ("ui/*.py", ("coach_email", "coach_name", "companion", "companion_name", "consent_registration",
                        "interests", "picks", "pitch", "region", "school", "seeking", "target_group")),
    "js.done_": ("ui/*.py", None), "kind.": ("views/agenda.py", None),
    "mail.lead.": ("eventtool/messages/content.py", (
        "cancelled", "coach_erased", "companion_removed", "event_cancelled", "event_changed", "promoted", "reminder", "schedule",
        "schedule_changed", "schedule_removed", "signup_again", "signup_confirmed", "signup_waitlisted")),
    "mail.lead.survey_": ("eventtool/messages/content.py", None),
    "mail.subject.": ("eventtool/messages/content.py", None), "messages.col.": ("views/messages_admin.py", None),
    "messages.kind.": ("views/messages_admin.py", None), "messages.status.": ("views/messages_admin.py", None),
    "nav.section.": ("app.py", None), "need.": ("eventtool/dayof/exports.py", None), "outcome.": ("eventtool/results/outcomes.py", None),
    "outcomes.col.": ("views/outcomes.py", None), "outcomes.source_": ("views/outcomes.py", None),
    "party.": ("eventtool/dayof/exports.py", None),
    # the rule a hand edit of the speedmeet plan breaks (speedmeet._rule_error)
    "planning.": ("eventtool/planning/speedmeet.py", ("break", "jobcoach", "locked", "range", "rather_not", "rule_1",
                                             "rule_2", "rule_3", "rule_4", "rule_5", "rule_6", "unknown")),
    "planning.status_": ("views/planning.py", None), "privacy.col.": ("views/privacy_admin.py", None),
    "privacy.csv.": ("eventtool/privacy/privacy.py", None), "privacy.section.": ("eventtool/privacy/privacy.py", None),
    "regs.add_how_": ("ui/*.py", None), "regs.added_phone_": ("ui/*.py", None),
    "regs.col.": ("views/registrations_admin.py", None), "regs.set_": ("views/registrations_admin.py", None),
    "review.field.": ("views/registrations_admin.py", None), "role.": ("views/users_admin.py", None),
    "sector.": ("views/register_employer.py", None), "series.freq_": ("views/events_admin.py", None),
    "series.pos_": ("views/events_admin.py", None),
    # registrations_admin translates its party, status and source columns as f"{vocab}.{value}"
    "source.": ("views/registrations_admin.py", None), "stage.": ("eventtool/results/reports.py", None),
    "status.": ("eventtool/dayof/exports.py", None), "streamlit.": ("ui/*.py", None),
    "survey.respondent.": ("eventtool/results/reports.py", None), "survey.wave.": ("views/follow_up.py", None),
    "target.": ("eventtool/dayof/exports.py", None), "users.col.": ("views/users_admin.py", None),
}
VOCABULARIES = {"kind.": EventKind, "event_status.": EventStatus, "status.": RegStatus, "audience.": Audience,
                "need.": SupportNeed, "target.": TargetGroup, "sector.": SECTORS, "adaptation.": Adaptation}


def _code_files():
    # The mail templates (eventtool/messages/templates/*.j2) call t("...") too.
    return (list(ROOT.glob("views/*.py")) + list(ROOT.glob("eventtool/**/*.py")) + [ROOT / "app.py"]
            + list(ROOT.glob("ui/*.py")) + list(ROOT.glob("eventtool/**/*.j2")))


def _catalogue(lang):
    with catalogue_path(lang).open("rb") as f:
        return read_po(f, locale=lang, abort_invalid=True)


def _entries(lang):
    """{id: (form, ...)}; one form for a text without plural forms."""
    return {m.id[0] if m.pluralizable else m.id: tuple(m.string) if m.pluralizable else (m.string,)
            for m in _catalogue(lang) if m.id}


def test_both_catalogues_parse_with_babels_plural_rule_and_no_fuzzy_entry():
    for lang in LANGUAGES:
        catalogue = _catalogue(lang)
        assert str(catalogue.locale) == lang and catalogue.num_plurals == 2, lang
        assert not catalogue.fuzzy, lang
        assert [m.id for m in catalogue if m.id and m.fuzzy] == [], lang
        assert not catalogue.obsolete, lang


def test_every_id_is_translated_in_both_languages_with_the_same_ids():
    nl, en = _entries("nl"), _entries("en")
    assert set(nl) == set(en)
    for lang, entries in (("nl", nl), ("en", en)):
        assert [key for key, forms in entries.items() if not all(form and form.strip() for form in forms)] == [], lang
    assert {key for key, forms in nl.items() if len(forms) > 1} == {key for key, forms in en.items() if len(forms) > 1}


def test_no_id_is_written_twice():
    """A second entry with the same id would silently replace the first: one text would then show where
    the other was meant (it happened with the Python dicts before: a status line showed a form label)."""
    for lang in LANGUAGES:
        ids = re.findall(r'^msgid "(.+)"$', catalogue_path(lang).read_text(encoding="utf-8"), re.M)
        assert sorted({key for key in ids if ids.count(key) > 1}) == [], lang


def test_placeholders_match_the_dutch_text():
    """str.format fills the placeholders after the lookup: a translation may not ask for one the code
    does not pass. A plural entry's last form has the Dutch plural's placeholders; the singular form may
    leave the count out ("Nog één plaats vrij")."""
    nl = _entries("nl")
    for lang in LANGUAGES:
        for key, forms in _entries(lang).items():
            dutch = set(PLACEHOLDER.findall(nl[key][-1]))
            assert set(PLACEHOLDER.findall(forms[-1])) == dutch, (lang, key)
            for form in forms[:-1]:
                assert set(PLACEHOLDER.findall(form)) <= dutch, (lang, key)


def test_a_plural_entry_names_its_count():
    for key, forms in PLURALS["nl"].items():
        assert set(PLACEHOLDER.findall(forms[-1])) & set(COUNT_PARAMS), key


def test_every_key_used_in_code_exists():
    used = set()
    for path in _code_files():
        src = path.read_text()
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[a-z_0-9.]+)"', src))
        used |= set(re.findall(r'\btranslate(?:_plural)?\(\s*"([a-z_]+\.[a-z_0-9.]+)"', src))
        used |= set(re.findall(r'(?:DomainError|NotFound|field_error|flash = |reason=)\(?\s*"([a-z_]+\.[a-z_0-9]+)"', src))
    missing = sorted(k for k in used if k not in MESSAGES["nl"])
    assert not missing


def test_every_id_is_used_in_code_or_templates():
    """A key counts as used when the code or a template names it (t, translate, translate_plural, a
    DomainError, a table of labels), or when it is in a family that DYNAMIC says the code builds."""
    sources = {path.relative_to(ROOT).as_posix(): path.read_text() for path in _code_files()}
    literals = set()
    for src in sources.values():
        literals |= set(re.findall(r'''["']([a-z_]+\.[a-z_0-9.]+)["']''', src))

    def built(prefix, where):
        stem = prefix.rstrip("._")
        return any(stem in src for name, src in sources.items() if Path(name).match(where))

    assert [prefix for prefix, (where, _) in DYNAMIC.items() if not built(prefix, where)] == []

    def dynamic(key):
        for prefix, (_, suffixes) in DYNAMIC.items():
            if key.startswith(prefix):
                if prefix in VOCABULARIES:
                    if key[len(prefix):] in {str(value) for value in VOCABULARIES[prefix]}:
                        return True
                elif suffixes is None or key[len(prefix):] in suffixes:
                    return True
        return False

    assert sorted(key for key in MESSAGES["nl"] if key not in literals and not dynamic(key)) == []


def test_every_vocabulary_value_has_a_label():
    for prefix, values in VOCABULARIES.items():
        for value in values:
            assert f"{prefix}{value}" in MESSAGES["nl"], (prefix, value)
    assert len(REGIONS) == 35


def test_translate_falls_back_and_formats():
    assert translate("field.too_long", "en", max=5) == "This is too long. Use at most 5 characters."
    assert translate("field.too_long", "nl", max=5).startswith("Dit is te lang")
    assert translate("no.such.key", "en") == "no.such.key"
    assert translate("field.too_long", "fr", max=1) == translate("field.too_long", "nl", max=1)
    assert translate_plural("no.such.key", "no.such.keys", 2, "en") == "no.such.keys"
    assert translate_plural("no.such.key", "no.such.keys", 1, "en") == "no.such.key"


def test_a_count_picks_the_plural_form_by_the_languages_rule():
    assert translate("downloads.rows", "nl", n=1) == "1 regel"
    assert [translate("downloads.rows", "nl", n=n) for n in (0, 2)] == ["0 regels", "2 regels"]
    assert translate("downloads.rows", "en", n=1) == "1 row" and translate("downloads.rows", "en", n=0) == "0 rows"
    assert translate_plural("agenda.places_left", "agenda.places_left", 1, "en", n=1) == "1 place left."
    assert translate_plural("agenda.places_left", "agenda.places_left", 3, "nl", n=3) == "Nog 3 plaatsen vrij."
    # a domain error carries its count under its own name; the page translates it with translate()
    assert translate("import.has_problems", "nl", count=1).startswith("Er is 1 rij met een probleem.")
    assert translate("auth.throttled", "en", seconds=1) == "Too many failed attempts. Wait 1 second, then try again."
    assert translate("error.form_summary", "nl", count=2, fields="a, b") == "Kijk nog eens naar 2 velden: a, b."
    # without a count (or in a language without the text) the plural form, as before
    assert translate("downloads.rows", "en") == "{n} rows" and translate("downloads.rows", "fr", n=1) == "1 regel"
    assert MESSAGES["nl"]["downloads.rows"] == "{n} regels"


def test_babel_writes_dates_times_and_numbers_in_each_language():
    moment = datetime(2026, 12, 9, 10, 0)
    assert format_long_date(moment, "nl") == "woensdag 9 december 2026"
    assert format_long_date(moment, "en") == "Wednesday 9 December 2026"
    assert format_clock(moment, "nl") == format_clock(moment, "en") == "10:00"
    assert (format_number(0.42, "nl"), format_number(0.42, "en"), format_number(1234.5678, "nl")) == ("0,42", "0.42", "1235")
    # A spreadsheet's cell: zero as 0 (not 0,0), every whole digit from 1,000 up, nothing for NaN or infinity.
    assert [format_number(v, "nl") for v in (0.0, -0.0, 0, 27613.7, 12345678.9, -4321.4)] == \
        ["0", "0", "0", "27614", "12345679", "-4321"]
    assert [format_number(v, "nl") for v in (float("nan"), float("inf"))] == ["", ""]
    assert (format_number(1.5, "nl", 2), format_number(1.5, "en", 2), format_number(2.25, "nl", 1)) == ("1,50", "1.50", "2,2")
    assert (format_number(1234.5, "nl", 1), format_number(1234.5, "en", 0)) == ("1.234,5", "1,234")
    assert format_percent(0.42, "nl") == format_percent(0.42, "en") == "42%"
    # no weekday or month names and no decimal separators in the texts any more
    assert not [key for key, text in MESSAGES["nl"].items() if re.search(r"\b(januari|maandag|woensdag)\b", text)]


def test_a_text_with_several_counts_puts_counted_parts_together():
    people = translate("events.confirm_people", "nl", jobseekers=translate("count.jobseekers", "nl", n=1), waitlist=0,
                       employers=translate("count.employers", "nl", n=2))
    assert people == "1 werkzoekende aangemeld, 0 op de wachtlijst, 2 werkgevers"
    assert translate("count.rows", "en", n=1) == "1 row" and translate("count.people", "nl", n=3) == "3 mensen"


def test_the_remaining_counted_texts_read_right_for_0_1_and_many():
    def assigned(lang, n, unassigned):
        return translate("dayplan.assigned", lang, assigned=translate("dayplan.assigned_people", lang, n=n),
                         unassigned=unassigned)

    def done(lang, skipped):
        return translate("import.done", lang, created=0, merged=1, skipped=translate("import.done_skipped", lang,
                                                                                       n=skipped))

    def ba(lang, jobs, placements):
        return translate("follow.ba_summary", lang, jobs=translate("count.jobs", lang, n=jobs),
                         units=format_number(1.5, lang, 2),
                         placements=translate("follow.ba_placements", lang, n=placements))

    assert assigned("nl", 1, 0) == "1 persoon heeft een aankomsttijd. Zonder plek: 0."
    assert assigned("nl", 0, 2) == "0 personen hebben een aankomsttijd. Zonder plek: 2."
    assert assigned("en", 1, 1) == "1 person has an arrival time. Without a place: 1."
    assert assigned("en", 3, 0) == "3 people have an arrival time. Without a place: 0."
    assert done("nl", 1) == "Geïmporteerd: 0 nieuw, 1 samengevoegd, 1 bekende rij overgeslagen."
    assert done("nl", 0) == "Geïmporteerd: 0 nieuw, 1 samengevoegd, 0 bekende rijen overgeslagen."
    assert done("en", 1) == "Imported: 0 new, 1 merged, 1 known row skipped."
    assert done("en", 2) == "Imported: 0 new, 1 merged, 2 known rows skipped."
    assert ba("nl", 1, 1) == "1 baan (1,50 Banenafspraak-eenheden), 1 werkervaringsplek of leerwerktraject."
    assert ba("nl", 0, 2) == "0 banen (1,50 Banenafspraak-eenheden), 2 werkervaringsplekken en leerwerktrajecten."
    assert ba("en", 1, 0) == "1 job (1.50 Banenafspraak units), 0 work-experience places and learning-working routes."
    assert ba("en", 2, 1) == "2 jobs (1.50 Banenafspraak units), 1 work-experience place or learning-working route."
