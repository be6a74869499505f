"""Plans over weeks: `graph order --hours-per-week N [--start DATE]`, in text, Markdown, JSON and iCalendar."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

from conftest import write_data
from test_queries import MAP, _private_cache, graph  # noqa: F401 (the fixture keeps the cache private)
from graph.cli import main
from graph.plan import Step
from graph.schedule import ScheduleError, weekly_schedule

START = "2025-03-03"  # a Monday
MONDAY = datetime.date(2025, 3, 3)


def scheduled(*args: str, data: Path = MAP, hours: str = "8") -> dict:
    result = graph("order", "--target", "developer", "--hours-per-week", hours, "--start", START,
                   "--format", "json", *args, data=data)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --- the schedule itself ---------------------------------------------------------------------------------------------

def test_steps_fill_the_weeks_in_order_and_a_long_step_spans_several():
    # algebra 10 h, linear-algebra 30 h, calculus 20 h, optimization 10 h, ml 40 h, developer (a degree)
    plan = scheduled()
    assert [(s["id"], s["weeks"], s["due"]) for s in plan["steps"]] == [
        ("algebra", [1, 2], "2025-03-16"),
        ("linear-algebra", [2, 5], "2025-04-06"),
        ("calculus", [6, 8], "2025-04-27"),
        ("optimization", [8, 9], "2025-05-04"),
        ("ml", [9, 14], "2025-06-08"),
        ("developer", [14, 14], "2025-06-08"),
    ]
    assert plan["schedule"] == {"hours_per_week": 8, "start": START, "weeks": 14, "end": "2025-06-08",
                                "steps_without_hours": []}


def test_a_step_ending_on_the_last_hour_of_a_week_leaves_the_next_week_free():
    steps = [Step(i, f"s{i}", "S", "topic", 0.1) for i in range(1, 161)]  # 16 h in tenths of an hour
    s = weekly_schedule(steps, 0.8, MONDAY)
    assert s.weeks == 20
    assert [t.last_week for t in s.slots[7:9]] == [1, 2]  # the 8th tenth closes week 1 exactly


def test_a_very_long_plan_is_scheduled_to_its_exact_end():
    steps = [Step(i, f"s{i}", "S", "topic", 1.5) for i in range(1, 100_001)]
    s = weekly_schedule(steps, 150, MONDAY)
    assert s.weeks == 1_000
    assert s.end == MONDAY + datetime.timedelta(weeks=1_000) - datetime.timedelta(days=1)
    assert len(s.groups()) == 1_000


def test_a_schedule_past_the_calendars_end_is_an_error_not_an_overflow():
    with pytest.raises(ScheduleError, match="runs past 9999-12-31"):
        weekly_schedule([Step(1, "a", "A", "topic", 10_000)], 1, datetime.date(9990, 1, 1))


# --- text ------------------------------------------------------------------------------------------------------------

def test_text_puts_steps_under_their_weeks_with_due_dates_and_the_target_date():
    text = graph("order", "--target", "developer", "--hours-per-week", "8", "--start", START).output
    assert "Schedule: 8 h a week from Mon 2025-03-03: Developer reached on Sun 2025-06-08, after 14 weeks" in text
    lines = text.splitlines()
    week2 = lines.index("Week 2 · Mon 2025-03-10 to Sun 2025-03-16")
    assert lines[week2 + 1].startswith("2. Linear algebra (linear-algebra) - 30 h")
    assert lines[week2 + 2] == "   due Sun 2025-04-06, runs over weeks 2-5"
    assert "Week 3 ·" not in text  # inside linear algebra's weeks: no step starts there
    assert text.rstrip().endswith("Total: 110 h over 6 steps; Developer reached on Sun 2025-06-08, after 14 weeks")


def test_without_hours_per_week_the_plan_is_as_before():
    text = graph("order", "--target", "developer").output
    assert "Week" not in text and "due" not in text


def test_steps_without_hours_are_said_and_marked(tmp_path):
    data = write_data(tmp_path / "d", [
        {"id": "a", "name": "A", "kind": "topic", "hours": 4},
        {"id": "b", "name": "B", "kind": "topic"},
        {"id": "goal", "name": "Goal", "kind": "degree"},
    ], [{"from": "a", "to": "b"}, {"from": "b", "to": "goal"}])
    result = graph("order", "--target", "goal", "--hours-per-week", "8", "--start", START, data=data)
    assert "1 step without an hour estimate is scheduled at 0 h: the dates leave out its time" in result.output
    assert "2. B (b) - ? h [topic]\n   due Sun 2025-03-09; no hour estimate: scheduled at 0 h\n" in result.output
    plan = json.loads(graph("order", "--target", "goal", "--hours-per-week", "8", "--start", START,
                            "--format", "json", data=data).output)
    assert plan["schedule"]["steps_without_hours"] == ["b"]


def test_a_plan_entirely_known_says_nothing_is_left():
    result = graph("order", "--target", "developer", "--known", "developer", "--hours-per-week", "8", "--start", START)
    assert result.exit_code == 0
    assert "Schedule: 8 h a week from Mon 2025-03-03: nothing left to schedule" in result.output
    assert "Nothing to study: developer is already known." in result.output


def test_the_schedule_starts_from_what_the_progress_file_leaves(tmp_path):
    progress = tmp_path / "progress.yaml"
    progress.write_text("known:\n  - algebra\n  - linear-algebra\n")
    plan = scheduled("--progress", str(progress))
    assert [(s["id"], s["weeks"]) for s in plan["steps"]] == [
        ("calculus", [1, 3]), ("optimization", [3, 4]), ("ml", [4, 9]), ("developer", [9, 9])]
    assert plan["schedule"]["end"] == "2025-05-04"


def test_start_defaults_to_today():
    before = datetime.date.today()
    result = graph("order", "--target", "developer", "--hours-per-week", "8", "--format", "json")
    start = json.loads(result.output)["schedule"]["start"]
    assert start in {before.isoformat(), datetime.date.today().isoformat()}


# --- usage errors ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["0", "-3", "169", "nan", "inf", "eight"])
def test_hours_per_week_must_be_a_number_of_hours_in_a_week(value):
    result = graph("order", "--target", "developer", "--hours-per-week", value)
    assert result.exit_code == 2
    assert "Invalid value for '--hours-per-week'" in result.output


@pytest.mark.parametrize("value", ["2025-13-01", "2025-02-30", "03/03/2025", "tomorrow", ""])
def test_a_bad_start_names_the_option_and_the_form(value):
    result = graph("order", "--target", "developer", "--hours-per-week", "8", "--start", value)
    assert result.exit_code == 2
    assert f"Invalid value for '--start': '{value}' is not a date: use YYYY-MM-DD" in result.output


@pytest.mark.parametrize("args, said", [(["--start", START], "--start:"), (["--format", "ics"], "--format ics:"),
                                        (["--output", "plan.ics"], "--output: a .ics file is a calendar, which")])
def test_schedule_options_need_a_weekly_budget(args, said, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = graph("order", "--target", "developer", *args)
    assert result.exit_code == 2
    assert f"{said} needs --hours-per-week" in result.output
    assert not (tmp_path / "plan.ics").exists()


def test_a_schedule_past_the_year_9999_is_a_usage_error():
    result = graph("order", "--target", "developer", "--hours-per-week", "1", "--start", "9999-06-01")
    assert result.exit_code == 2
    assert "--hours-per-week: the schedule runs past 9999-12-31" in result.output


# --- Markdown --------------------------------------------------------------------------------------------------------

def test_markdown_checklist_has_the_weeks_as_headings():
    md = graph("order", "--target", "developer", "--hours-per-week", "8", "--start", START,
               "--format", "markdown").output
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [f"## Week {n} · {day}" for n, day in (
        (1, "Mon 2025-03-03 to Sun 2025-03-09"), (2, "Mon 2025-03-10 to Sun 2025-03-16"),
        (6, "Mon 2025-04-07 to Sun 2025-04-13"), (8, "Mon 2025-04-21 to Sun 2025-04-27"),
        (9, "Mon 2025-04-28 to Sun 2025-05-04"), (14, "Mon 2025-06-02 to Sun 2025-06-08"))]
    assert "- [ ] **2. Linear algebra** (30 h; due Sun 2025-04-06, runs over weeks 2-5)" in md
    assert md.count("- [ ] ") == 6


# --- iCalendar -------------------------------------------------------------------------------------------------------

HOSTILE = 'Fourier; "waves",\t<b>*1*</b>\\ [x](javascript:alert(1)) \u2028END:VCALENDAR'


@pytest.fixture
def hostile(tmp_path) -> Path:
    return write_data(tmp_path / "hostile", [
        {"id": "waves", "name": HOSTILE, "kind": "topic", "hours": 12, "summary": "line one\nline two\n\nthree"},
        {"id": "book", "name": "A book; part 1, \\n", "kind": "resource", "format": "book", "hours": 100,
         "url": "https://example.org/a?b=1&c=2"},
        {"id": "goal", "name": "Goal *now*", "kind": "degree"},
    ], [{"from": "book", "to": "waves", "relation": "teaches"}, {"from": "waves", "to": "goal"}])


def ics(data: Path, *args: str) -> bytes:
    result = CliRunner().invoke(main, ["--data", str(data), "order", "--target", "goal", "--hours-per-week", "5",
                                       "--start", START, "--format", "ics", *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_ics_is_read_back_by_the_library_one_event_per_step(hostile):
    raw = ics(hostile)
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    waves, goal = events
    assert str(waves["SUMMARY"]) == "Step 1/2: " + " ".join(HOSTILE.split())  # on one line
    assert waves["DTSTART"].dt == MONDAY  # 12 h at 5 h a week: weeks 1-3
    assert waves["DTEND"].dt == datetime.date(2025, 3, 24)  # the day after Sunday of week 3 (DTEND is exclusive)
    assert str(waves["URL"]) == "https://example.org/a?b=1&c=2"
    description = str(waves["DESCRIPTION"])
    assert description.startswith("12 h, due Sun 2025-03-23, runs over weeks 1-3.\n")
    assert "line one line two three" in description
    assert "Learn with: A book; part 1, \\n <https://example.org/a?b=1&c=2> [100 h book]" in description
    assert str(goal["SUMMARY"]) == "Step 2/2: Goal *now* (the target)"
    assert goal["DTSTART"].dt == goal["DTEND"].dt - datetime.timedelta(days=1) == datetime.date(2025, 3, 23)
    assert len({str(e["UID"]) for e in events}) == 2


def test_ics_follows_rfc_5545_lines(hostile):
    raw = ics(hostile)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)  # folded
    assert not any(c < 32 and c != 9 for line in lines for c in line)  # no control character but tab
    assert all(b"DTSTAMP:20250303T000000Z" == line for line in lines if line.startswith(b"DTSTAMP"))


def test_ics_replaces_control_characters_the_data_cannot_hold_but_a_plan_can():
    from graph.plan import Plan
    from graph.render.ics import plan_ics

    steps = [Step(1, "a", "A\x07\x1b[31m\x00", "topic", 1, summary="x\ry")]
    raw = plan_ics(Plan("a", "A", steps, [], [], [], False, "depth"), weekly_schedule(steps, 8, MONDAY))
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Step 1/1: A\ufffd\ufffd[31m\ufffd (the target)"
    assert "x y" in str(event["DESCRIPTION"])


def test_ics_is_the_same_bytes_every_time_and_through_output(hostile, tmp_path):
    first = ics(hostile)
    assert ics(hostile) == first
    out = tmp_path / "out" / "plan.ics"
    result = graph("order", "--target", "goal", "--hours-per-week", "5", "--start", START, "--output", str(out),
                   data=hostile)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out} (ics: 2 steps, 3 weeks to 2025-03-23; {len(first):,} bytes)\n"
    assert out.read_bytes() == first


def test_ics_of_a_known_target_writes_nothing_and_says_so(tmp_path):
    out = tmp_path / "plan.ics"
    result = graph("order", "--target", "developer", "--known", "developer", "--hours-per-week", "8",
                   "--output", str(out))
    assert result.exit_code == 0
    assert "Nothing to study: developer is already known; no calendar written." in result.output
    assert not out.exists()


def test_output_is_never_inside_the_data_folder(hostile):
    result = graph("order", "--target", "goal", "--hours-per-week", "5", "--output", str(hostile / "plan.ics"),
                   data=hostile)
    assert result.exit_code == 2
    assert "--output:" in result.output and "inside the data folder" in result.output
    assert not (hostile / "plan.ics").exists()


def test_markdown_escapes_the_target_in_the_schedule_line(hostile):
    md = graph("order", "--target", "goal", "--hours-per-week", "5", "--start", START, "--format", "markdown",
               data=hostile).output
    assert "Goal \\*now\\* reached on Sun 2025-03-23" in md


# --- step hours and resource hours ------------------------------------------------------------------------------------

@pytest.fixture
def parts(tmp_path) -> Path:
    return write_data(tmp_path / "parts", [
        {"id": "limits", "name": "Limits", "kind": "topic", "hours": 6},
        {"id": "derivatives", "name": "Derivatives", "kind": "topic", "hours": 12},
        {"id": "khan", "name": "Khan Academy Calculus", "kind": "resource", "format": "course", "free": True,
         "hours": 100, "url": "https://example.org/khan"},
        {"id": "notes", "name": "Notes", "kind": "resource", "hours": 5},
    ], [
        {"from": "limits", "to": "derivatives"},
        {"from": "khan", "to": "limits", "relation": "teaches", "part": "Unit 1: *limits* [intro]", "hours": 6},
        {"from": "khan", "to": "derivatives", "relation": "teaches", "hours": 12},
        {"from": "notes", "to": "derivatives", "relation": "teaches"},
    ])


def test_a_resource_shows_its_whole_hours_and_the_part_a_step_uses(parts):
    text = graph("order", "--target", "derivatives", data=parts).output
    assert ("learn with: Khan Academy Calculus <https://example.org/khan> "
            "[free, 100 h course; for this step: Unit 1: *limits* [intro], 6 h]") in text
    assert "[free, 100 h course; for this step: 12 h of it]" in text
    assert "or: Notes [5 h in all]" in text
    assert text.rstrip().endswith("Total: 18 h over 2 steps")  # the steps' hours, not the course's 100


def test_the_part_lands_escaped_in_markdown_and_as_fields_in_json(parts):
    md = graph("order", "--target", "derivatives", "--format", "markdown", data=parts).output
    assert "· free, 100 h course; for this step: Unit 1: \\*limits\\* \\[intro\\], 6 h" in md
    steps = json.loads(graph("order", "--target", "derivatives", "--format", "json", data=parts).output)["steps"]
    khan = steps[0]["resources"][0]
    assert (khan["hours"], khan["part"], khan["part_hours"]) == (100, "Unit 1: *limits* [intro]", 6)
    assert "part" not in steps[1]["resources"][1]  # notes: the edge gives neither


def test_the_calendar_event_says_which_part_to_use(parts):
    raw = CliRunner().invoke(main, ["--data", str(parts), "order", "--target", "derivatives", "--hours-per-week", "4",
                                    "--start", START, "--format", "ics"]).stdout_bytes
    limits = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert "for this step: Unit 1: *limits* [intro], 6 h]" in str(limits["DESCRIPTION"])
