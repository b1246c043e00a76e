"""``tamas dashboard``: the analysts' web dashboard (Dash + plotly + Cytoscape), Persian and RTL.

Pages: calls over time (filters: country, official, topic, date range), top country
pairs, topics over time, the network of officials (force-directed, filterable), a world
map of calls by counterpart country, a country's page, an official's page, one call's
detail, one article, full-text search, and a 404 page. A calendar switch in the top bar
(Jalali or Gregorian) changes every date on every page. Dates show only what the
evidence gives: a call known to the month shows a month, never a first-of-month day.

Offline: Dash, plotly and dash-cytoscape serve their JavaScript from their Python
packages; the world map's outlines are vendored in ``app/assets/topojson/``.

Reading: every callback opens the warehouse with ``store.connect_readonly`` (a private
in-memory database that attaches the file read-only, no other file or network access)
and closes it before returning. A run never writes the warehouse file (it loads a copy
and renames it over the path), so a request during a run reads the previous complete
state, the first request after the rename reads the new one, however many requests are
open at the time, and the dashboard never holds a lock or a file a run needs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, quote

import dash_cytoscape as cyto
import jdatetime
import plotly.graph_objects as go
from dash import Dash, Input, Output, State, dcc, html

from core.script import TO_ASCII_DIGITS, TO_PERSIAN_DIGITS
from warehouse.store import connect_readonly

FONT = "Vazirmatn, 'Noto Sans Arabic', 'Noto Naskh Arabic', 'DejaVu Sans', Tahoma, sans-serif"
CALENDARS = [{"label": " میلادی", "value": "gregorian"}, {"label": " شمسی (جلالی)", "value": "jalali"}]
_DIGITS = str.maketrans({**TO_ASCII_DIGITS, "/": "-"})
_FA_DIGITS = str.maketrans(TO_PERSIAN_DIGITS)
JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
GREGORIAN_MONTHS = ["ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"]
PRECISION_FA = {"day": "روز", "month": "ماه", "year": "سال", "none": "نامعلوم", None: "نامعلوم"}
BASIS_FA = {"stated": "در متن آمده", "inferred": "از متن استنباط شده", "published": "تاریخ انتشار خبر", None: "-"}
MODE_FA = {"phone": "تلفنی", "video": "تصویری"}
PALETTE = ["#1d3557", "#e63946", "#2a9d8f", "#e9c46a", "#8338ec", "#f4a261", "#457b9d", "#6a994e",
           "#bc4749", "#3a86ff", "#b5838d", "#264653", "#ff006e", "#588157", "#9c6644", "#7209b7"]
NAV = [("/", "تماس‌ها"), ("/pairs", "جفت کشورها"), ("/topics", "موضوع‌ها"), ("/network", "شبکه مقام‌ها"),
       ("/map", "نقشه"), ("/search", "جستجو")]
PAGE_PATTERNS = [r"/", r"/pairs", r"/topics", r"/network", r"/map", r"/search", r"/call/[^/]+",
                 r"/country/[^/]+", r"/official/[^/]+", r"/article/[^/]+"]
TOPOJSON_URL = "/assets/topojson/"

INDEX = """<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}
<style>
body { font-family: FONT; direction: rtl; margin: 0; background: #f6f7f9; color: #1d2733; }
.top { background: #1d3557; color: white; padding: 10px 20px; display: flex; gap: 20px; align-items: center; flex-wrap: wrap; }
.top a { color: #f1faee; text-decoration: none; font-size: 16px; }
.top a:hover { text-decoration: underline; }
.top h1 { font-size: 20px; margin: 0 0 0 16px; }
.top .calendar { margin-right: auto; display: flex; gap: 8px; align-items: center; font-size: 14px; }
.top .calendar label { margin-left: 12px; cursor: pointer; }
.top .calendar input, .filters input[type=radio] { margin: 0 0 0 5px; vertical-align: middle; }
.page { padding: 16px 22px; }
.filters { display: flex; flex-wrap: wrap; gap: 14px; align-items: end; background: white; padding: 12px; border-radius: 6px; }
.filters label { display: block; font-size: 13px; color: #555; margin-bottom: 3px; }
.filters .f { min-width: 190px; }
table.grid { border-collapse: collapse; width: 100%; background: white; margin-top: 12px; }
table.grid th, table.grid td { border: 1px solid #dde2e8; padding: 6px 9px; text-align: right; vertical-align: top; }
table.grid th { background: #e9eef4; }
.ltr { direction: ltr; unicode-bidi: isolate; display: inline-block; white-space: nowrap; }
.muted { color: #667; font-size: 13px; }
.empty { background: #fff; border: 1px dashed #b8c2cc; color: #4a5563; padding: 14px 18px; border-radius: 6px; margin-top: 12px; }
.evidence { background: #fffbe6; border-right: 4px solid #e9c46a; padding: 8px 12px; margin: 8px 0; line-height: 1.9; }
.card { background: white; padding: 12px 16px; border-radius: 6px; margin-top: 12px; line-height: 1.9; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.cards .card { min-width: 150px; }
.cards .n { font-size: 24px; font-weight: bold; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.hit { background: white; padding: 10px 14px; border-radius: 6px; margin-top: 10px; line-height: 1.9; }
.hit mark { background: #ffe08a; }
.article-text { background: white; padding: 14px 18px; border-radius: 6px; line-height: 2.1; white-space: pre-wrap; }
.legend span { display: inline-block; margin-left: 14px; font-size: 13px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 6px; margin-left: 4px; vertical-align: middle; }
input[type=text] { font-family: inherit; padding: 6px; font-size: 14px; }
#f-from, #f-to { direction: ltr; width: 130px; }
</style>
</head>
<body>{%app_entry%}<footer>{%config%}{%scripts%}{%renderer%}</footer></body>
</html>""".replace("FONT", FONT)


class Reader:
    """Per-request read-only access to the warehouse file."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def connect(self):
        return connect_readonly(self.path, external_access=False)

    def rows(self, sql: str, params=None) -> list[dict]:
        con = self.connect()
        try:
            cursor = con.execute(sql, params or [])
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        finally:
            con.close()


# ------------------------------------------------------------------------ dates and labels

def fa_digits(value) -> str:
    return str(value).translate(_FA_DIGITS)


def month_key_label(key: str | None, calendar: str) -> str:
    """A month key of the views (2026-05, 1405-02, 1405-02/1405-03) as people write it,
    in Persian: «مه 2026», «اردیبهشت ۱۴۰۵», «اردیبهشت–خرداد ۱۴۰۵»."""
    if not key:
        return "بی‌تاریخ یا فقط سال"
    parts = [tuple(int(x) for x in k.split("-")) for k in key.split("/")]
    names = JALALI_MONTHS if calendar == "jalali" else GREGORIAN_MONTHS
    year = fa_digits if calendar == "jalali" else str
    if len(parts) == 1:
        y, m = parts[0]
        return f"{names[m - 1]} {year(y)}"
    (y1, m1), (y2, m2) = parts
    if y1 == y2:
        return f"{names[m1 - 1]}–{names[m2 - 1]} {year(y1)}"
    return f"{names[m1 - 1]} {year(y1)}–{names[m2 - 1]} {year(y2)}"


def gregorian_label(precision: str | None, start: date | None, end: date | None) -> str | None:
    """The Gregorian date of a call in Persian, only as precise as known."""
    if start is None or precision in (None, "none"):
        return None
    if precision == "day":
        return start.isoformat()
    if (start.year, start.month) == (end.year, end.month):
        return f"{GREGORIAN_MONTHS[start.month - 1]} {start.year}"
    if precision == "month":
        return month_key_label(f"{start:%Y-%m}/{end:%Y-%m}", "gregorian")
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"


def call_date_label(call: dict, calendar: str) -> str:
    """What a page shows as a call's date (needs call_date_precision, call_date_jalali,
    call_period_start, call_period_end)."""
    if calendar == "jalali":
        label = call.get("call_date_jalali")
    else:
        label = gregorian_label(call.get("call_date_precision"), call.get("call_period_start"), call.get("call_period_end"))
    return label or "بی‌تاریخ"


def day_label(day: date | None, calendar: str) -> str:
    if day is None:
        return "-"
    if calendar == "jalali":
        j = jdatetime.date.fromgregorian(date=day)
        return f"{j.year:04d}-{j.month:02d}-{j.day:02d}"
    return day.isoformat()


def moment_label(moment, calendar: str) -> str:
    """A publication time in Tehran time with its offset: 1405-02-22 07:27 +03:30."""
    if moment is None:
        return "-"
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo("Asia/Tehran"))
    offset = local.strftime("%z")
    return f"{day_label(local.date(), calendar)} {local:%H:%M} {offset[:3]}:{offset[3:]}"


def published(moment, day: date | None, calendar: str) -> html.Span:
    """When an article was published: Tehran time with its zone, else its date."""
    if moment is not None:
        return html.Span([_ltr(moment_label(moment, calendar)), " به وقت تهران"], className="published")
    return html.Span(_ltr(day_label(day, calendar)), className="published")


def date_span(label: str):
    """A date label: a digits-only one (1405-02-21) kept left-to-right inside Persian text."""
    return _ltr(label) if re.fullmatch(r"[\d\-–]+", label or "") else label


def parse_day(value: str | None, calendar: str) -> date | None | str:
    """A date typed in a filter box (Persian or Latin digits, - or /), in the chosen
    calendar, as a Gregorian date; "" when empty, None when it is not a date."""
    value = (value or "").strip().translate(_DIGITS)
    if not value:
        return ""
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if not found:
        return None
    y, m, d = (int(x) for x in found.groups())
    try:
        return jdatetime.date(y, m, d).togregorian() if calendar == "jalali" else date(y, m, d)
    except ValueError:
        return None


# ------------------------------------------------------------------------------ helpers

def _ltr(text) -> html.Span:
    return html.Span("" if text is None else str(text), className="ltr")


def _empty(message: str, element_id: str | None = None) -> html.Div:
    return html.Div(message, className="empty", **({"id": element_id} if element_id else {}))


def _html(node) -> str:
    """Static HTML of a cell: text (escaped), numbers, lists, and html.* components."""
    import html as html_text

    if node is None:
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(_html(n) for n in node)
    if isinstance(node, (str, int, float)):
        return html_text.escape(str(node))
    tag = type(node).__name__.lower()
    attributes = []
    for prop, name in (("id", "id"), ("className", "class"), ("href", "href"), ("target", "target"), ("rel", "rel")):
        value = getattr(node, prop, None)
        if value:
            attributes.append(f' {name}="{html_text.escape(str(value), quote=True)}"')
    style = getattr(node, "style", None)
    if style:
        css = ";".join(f"{re.sub('([A-Z])', lambda m: '-' + m.group(1).lower(), k)}:{v}" for k, v in style.items())
        attributes.append(f' style="{html_text.escape(css, quote=True)}"')
    return f"<{tag}{''.join(attributes)}>{_html(getattr(node, 'children', None))}</{tag}>"


def _table(header: list[str], body: list[list], table_id: str | None = None, empty: str | None = None):
    """A grid, or when it has no rows, a sentence saying what is empty and why.

    The grid is one static HTML block (dcc.Markdown, raw HTML, every text escaped), not a
    component per cell: a few hundred rows of Dash components kept the browser busy for
    half a minute, one block renders at once. Its links are plain anchors."""
    if not body and empty:
        return _empty(empty, table_id)
    head = "".join(f"<th>{_html(h)}</th>" for h in header)
    rows = "".join("<tr>" + "".join(f"<td>{_html(c)}</td>" for c in row) + "</tr>" for row in body)
    ident = f' id="{table_id}"' if table_id else ""
    return dcc.Markdown(f'<table class="grid"{ident}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>',
                        dangerously_allow_html=True)


def _figure(title: str, height: int = 360) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title=title, font={"family": FONT, "size": 14}, margin={"l": 40, "r": 40, "t": 50, "b": 40},
        paper_bgcolor="white", plot_bgcolor="#fbfcfd", height=height,
    )
    return fig


def _graph(fig: go.Figure, graph_id: str | None = None) -> dcc.Graph:
    props = {"id": graph_id} if graph_id else {}
    return dcc.Graph(figure=fig, config={"displayModeBar": False, "topojsonURL": TOPOJSON_URL}, **props)


# Links are plain anchors: a page of a few hundred calls has a thousand links, and as many
# dcc.Link components kept the browser busy for tens of seconds.
def _link(text, href: str, **props) -> html.A:
    return html.A(text, href=href, **props)


def _official_link(official_id: str, name: str) -> html.A:
    return _link(name or official_id, f"/official/{quote(official_id)}")


def _country_link(code: str | None, name: str | None):
    if not code:
        return "-"
    return _link(name or code, f"/country/{quote(code)}")


def _is_web_url(url: str | None) -> bool:
    """Only http(s) addresses become links: a record's url is input, and a data: or
    javascript: one must not be one click away."""
    return bool(url) and url.strip().lower().startswith(("http://", "https://"))


def _safe_url(url: str | None) -> str | None:
    return url.strip() if _is_web_url(url) else None


def country_names(reader: Reader) -> dict[str, str]:
    return {r["country_code"]: r["name_fa"] for r in reader.rows("SELECT country_code, name_fa FROM dim_country")}


def topic_names(reader: Reader) -> dict[str, str]:
    return {r["topic_code"]: r["name_fa"] for r in reader.rows("SELECT topic_code, name_fa FROM dim_topic")}


@lru_cache(maxsize=1)
def iso3_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 -> alpha-3, from the country table plotly.js itself carries
    (the installed plotly package's plotly.min.js); the map's ids are alpha-3."""
    import plotly

    bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    text = bundle.read_text(encoding="utf-8", errors="replace")
    return {iso2: iso3 for iso3, iso2 in re.findall(r'iso3:"([A-Z]{3})",iso2:"([A-Z]{2})"', text)}


def _colour(code: str | None) -> str:
    if not code:
        return "#999999"
    import zlib

    return PALETTE[zlib.crc32(code.encode()) % len(PALETTE)]


# ------------------------------------------------------------------------ calls, shared

CALL_COLUMNS = """
    c.call_id, c.call_date_precision, c.date_basis, c.call_date_jalali, c.call_period_start, c.call_period_end,
    c.mode, c.participant_names, c.participant_titles, c.participant_countries, c.participant_ids,
    c.initiator_name, c.initiator_official_id, c.topic_codes, c.n_articles,
    s.call_month_label, s.call_month_jalali_label
"""


def calls_where(where: list[str], params: list, reader: Reader) -> list[dict]:
    sql = (f"SELECT {CALL_COLUMNS} FROM v_calls c JOIN stg_call_dated s USING (call_id)"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY c.call_period_start NULLS LAST, c.call_id")
    return reader.rows(sql, params)


def calls_chart(calls: list[dict], calendar: str, title: str, graph_id: str | None = None) -> dcc.Graph:
    jalali = calendar == "jalali"
    per_month: dict[str, int] = defaultdict(int)
    for call in calls:
        per_month[(call["call_month_jalali_label"] if jalali else call["call_month_label"]) or ""] += 1
    keys = sorted(per_month, key=lambda k: (k == "", k))
    fig = _figure(title + (" (ماه شمسی)" if jalali else " (ماه میلادی)"))
    fig.add_bar(x=[month_key_label(k, calendar) for k in keys], y=[per_month[k] for k in keys],
                marker_color="#457b9d", name="تماس", hovertemplate="%{x}: %{y} تماس<extra></extra>")
    fig.update_xaxes(type="category")
    if max(per_month.values(), default=0) <= 10:
        fig.update_yaxes(dtick=1)  # counts are whole numbers
    fig.update_layout(margin={"l": 50, "r": 30, "t": 50, "b": 60})
    return _graph(fig, graph_id)


def calls_table(calls: list[dict], calendar: str, reader: Reader, table_id: str, empty: str) -> html.Div:
    countries, topics = country_names(reader), topic_names(reader)
    rows = []
    for call in calls:
        people = []
        for oid, name, title, code in zip(call["participant_ids"] or [], call["participant_names"] or [],
                                          call["participant_titles"] or [], call["participant_countries"] or []):
            people.append(html.Div([_official_link(oid, name), f" ({title or 'بی‌سمت'}، ",
                                    _country_link(code, countries.get(code)), ")"]))
        initiator = (_official_link(call["initiator_official_id"], call["initiator_name"])
                     if call["initiator_official_id"] else "نامعلوم")
        rows.append([
            date_span(call_date_label(call, calendar)),
            html.Span(PRECISION_FA.get(call["call_date_precision"], "نامعلوم"), className="muted"),
            html.Div(people),
            initiator,
            "، ".join(topics.get(t, t) for t in call["topic_codes"] or []) or html.Span("بی‌موضوع", className="muted"),
            _ltr(call["n_articles"]),
            _link("جزئیات", f"/call/{call['call_id']}"),
        ])
    return _table(["تاریخ", "دقت تاریخ", "طرفین تماس", "آغازکننده", "موضوع‌ها", "مقاله‌ها", ""], rows, table_id, empty)


# ----------------------------------------------------------------------------- pages

def calls_layout(reader: Reader, query: dict, calendar: str) -> html.Div:
    countries = reader.rows(
        "SELECT DISTINCT p.country_code, coalesce(c.name_fa, p.country_code) AS name FROM call_participant p "
        "LEFT JOIN dim_country c USING (country_code) WHERE p.country_code IS NOT NULL ORDER BY name"
    )
    officials = reader.rows("SELECT DISTINCT official_id, name_fa FROM stg_participant_named ORDER BY name_fa")
    topics = reader.rows(
        "SELECT DISTINCT t.topic_code, coalesce(d.name_fa, t.topic_code) AS name FROM call_topic t "
        "LEFT JOIN dim_topic d USING (topic_code) ORDER BY name"
    )
    first = lambda key: (query.get(key) or [None])[0]  # noqa: E731
    example_from, example_to = ("1405-01-01", "1405-12-29") if calendar == "jalali" else ("2026-01-01", "2026-12-31")
    return html.Div(
        [
            html.H2("تماس‌ها در گذر زمان"),
            html.Div(
                [
                    html.Div([html.Label("کشور"), dcc.Dropdown(
                        id="f-country", options=[{"label": r["name"], "value": r["country_code"]} for r in countries],
                        value=first("country"), placeholder="همه کشورها")], className="f"),
                    html.Div([html.Label("مقام"), dcc.Dropdown(
                        id="f-official", options=[{"label": r["name_fa"], "value": r["official_id"]} for r in officials],
                        value=first("official"), placeholder="همه مقام‌ها")], className="f"),
                    html.Div([html.Label("موضوع"), dcc.Dropdown(
                        id="f-topic", options=[{"label": r["name"], "value": r["topic_code"]} for r in topics],
                        value=first("topic"), placeholder="همه موضوع‌ها")], className="f"),
                    html.Div([html.Label("از تاریخ (سال-ماه-روز، " + ("شمسی)" if calendar == "jalali" else "میلادی)")),
                              dcc.Input(id="f-from", type="text", debounce=True, value=first("from") or "", placeholder=example_from)]),
                    html.Div([html.Label("تا تاریخ"), dcc.Input(
                        id="f-to", type="text", debounce=True, value=first("to") or "", placeholder=example_to)],
                        style={"width": "140px"}),
                ],
                className="filters",
            ),
            html.Div(id="calls-count", className="muted", style={"marginTop": "10px"}),
            html.Div(id="calls-chart"),
            html.Div(id="calls-table"),
        ]
    )


def filtered_calls(reader: Reader, country, official, topic, date_from, date_to, calendar) -> tuple[list[dict], str | None]:
    where, params = [], []
    if country:
        where.append("list_contains(c.participant_countries, ?)")
        params.append(country)
    if official:
        where.append("list_contains(c.participant_ids, ?)")
        params.append(official)
    if topic:
        where.append("list_contains(c.topic_codes, ?)")
        params.append(topic)
    problems = []
    for value, column, op in ((date_from, "c.call_period_start", ">="), (date_to, "c.call_period_end", "<=")):
        day = parse_day(value, calendar)
        if day is None:
            problems.append(value)
        elif day:
            where.append(f"{column} {op} ?")
            params.append(day)
    problem = None
    if problems:
        problem = "تاریخ نامعتبر: " + "، ".join(problems) + " (به شکل سال-ماه-روز در تقویم انتخاب‌شده)"
    return calls_where(where, params, reader), problem


def calls_outputs(reader: Reader, country, official, topic, date_from, date_to, calendar):
    calls, problem = filtered_calls(reader, country, official, topic, date_from, date_to, calendar)
    filtered = any([country, official, topic, (date_from or "").strip(), (date_to or "").strip()])
    if calls:
        count = f"{len(calls)} تماس"
        chart = calls_chart(calls, calendar, "تعداد تماس‌ها در هر ماه", "calls-graph")
    else:
        count = "0 تماس"
        chart = _empty(
            "هیچ تماسی با این فیلترها پیدا نشد: فیلترها یا بازه تاریخ را کم کنید." if filtered
            else "انبار داده هنوز تماسی ندارد: مقاله‌ها را با tamas ingest بارگذاری کنید."
        )
    table = calls_table(calls, calendar, reader, "calls-grid", "جدولی برای نمایش نیست.") if calls else html.Div()
    if problem:
        count = [count, html.Div(problem, className="empty", id="date-problem")]
    return count, chart, table


def pairs_layout(reader: Reader, calendar: str) -> html.Div:
    pairs = reader.rows(
        """
        SELECT p.country_a, p.country_b, coalesce(a.name_fa, p.country_a) AS name_a,
               coalesce(b.name_fa, p.country_b) AS name_b, sum(p.n_calls) AS n_calls,
               min(p.month) AS first_month, max(p.month) AS last_month
        FROM v_country_pair_month p
        LEFT JOIN dim_country a ON a.country_code = p.country_a
        LEFT JOIN dim_country b ON b.country_code = p.country_b
        WHERE p.calendar = ?
        GROUP BY ALL ORDER BY n_calls DESC, p.country_a, p.country_b LIMIT 25
        """,
        [calendar],
    )
    if not pairs:
        return html.Div([html.H2("جفت کشورها"), _empty("هیچ تماسی میان مقام‌های دو کشور ثبت نشده است.", "pairs-grid")])
    fig = _figure("پرتماس‌ترین جفت کشورها", height=max(320, 34 * len(pairs) + 110))
    labels = [f"{r['name_a']} – {r['name_b']}" for r in pairs][::-1]
    fig.add_bar(y=labels, x=[r["n_calls"] for r in pairs][::-1], orientation="h", marker_color="#e76f51",
                hovertemplate="%{y}: %{x} تماس<extra></extra>")
    # The labels' room is set, not left to automargin (which can redraw without end):
    # about 8 px a character at 14 px, on the right, where a Persian reader starts.
    longest = max(len(label) for label in labels)
    fig.update_yaxes(side="right")
    fig.update_xaxes(autorange="reversed")
    if max(r["n_calls"] for r in pairs) <= 10:
        fig.update_xaxes(dtick=1)  # counts are whole numbers
    fig.update_layout(margin={"l": 30, "r": 20 + 8 * longest, "t": 50, "b": 50})
    body = [[_country_link(r["country_a"], r["name_a"]), _country_link(r["country_b"], r["name_b"]), _ltr(r["n_calls"]),
             month_key_label(r["first_month"], calendar) if r["first_month"] else "-",
             month_key_label(r["last_month"], calendar) if r["last_month"] else "-"] for r in pairs]
    return html.Div([
        html.H2("جفت کشورها"),
        _graph(fig, "pairs-chart"),
        _table(["کشور", "کشور", "تماس‌ها", "نخستین ماه", "آخرین ماه"], body, "pairs-grid"),
    ])


def topics_layout(reader: Reader, calendar: str) -> html.Div:
    rows = reader.rows(
        """
        SELECT t.month, coalesce(d.name_fa, t.topic_code) AS topic, t.n_calls
        FROM v_topic_month t LEFT JOIN dim_topic d USING (topic_code)
        WHERE t.calendar = ? ORDER BY t.month NULLS LAST, topic
        """,
        [calendar],
    )
    if not rows:
        return html.Div([html.H2("موضوع‌ها"), _empty("هیچ تماسی موضوع ندارد: موضوع تنها با جمله‌ای درباره محتوای گفت‌وگو ثبت می‌شود.", "topics-grid")])
    fig = _figure("موضوع‌ها در گذر زمان " + ("(ماه شمسی)" if calendar == "jalali" else "(ماه میلادی)"), height=480)
    by_topic: dict[str, dict[str, int]] = defaultdict(dict)
    keys = sorted({r["month"] or "" for r in rows}, key=lambda k: (k == "", k))
    for r in rows:
        by_topic[r["topic"]][r["month"] or ""] = r["n_calls"]
    for topic, counts in sorted(by_topic.items()):
        fig.add_bar(name=topic, x=[month_key_label(k, calendar) for k in keys], y=[counts.get(k, 0) for k in keys])
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.25}, margin={"l": 50, "r": 30, "t": 50, "b": 60})
    fig.update_xaxes(type="category")
    totals = defaultdict(int)
    for r in rows:
        totals[r["topic"]] += r["n_calls"]
    body = [[topic, _ltr(n)] for topic, n in sorted(totals.items(), key=lambda kv: -kv[1])]
    return html.Div([
        html.H2("موضوع‌ها"),
        _graph(fig, "topics-chart"),
        _table(["موضوع", "تماس‌ها (جمع ماه‌ها)"], body, "topics-grid"),
    ])


def network_layout(reader: Reader, query: dict) -> html.Div:
    countries = reader.rows(
        "SELECT DISTINCT p.country_code, coalesce(c.name_fa, p.country_code) AS name FROM call_participant p "
        "LEFT JOIN dim_country c USING (country_code) WHERE p.country_code IS NOT NULL ORDER BY name"
    )
    first = lambda key: (query.get(key) or [None])[0]  # noqa: E731
    return html.Div([
        html.H2("شبکه مقام‌ها"),
        html.P("چه کسی با چه کسی تماس داشت: رنگ گره = کشور، اندازه = شمار تماس‌ها، ضخامت خط = تماس‌های میان دو نفر. "
               "گره‌ها را می‌توان کشید؛ با کلیک روی نام، صفحه آن مقام باز می‌شود.", className="muted"),
        html.Div([
            html.Div([html.Label("کشور"), dcc.Dropdown(
                id="n-country", options=[{"label": r["name"], "value": r["country_code"]} for r in countries],
                value=first("country"), placeholder="همه کشورها")], className="f"),
            html.Div([html.Label("کمترین شمار تماس میان دو نفر"), dcc.RadioItems(
                id="n-min", options=[{"label": f" {n}", "value": n} for n in (1, 2, 3)], value=1, inline=True)]),
        ], className="filters"),
        html.Div(id="network-legend", className="legend", style={"marginTop": "8px"}),
        cyto.Cytoscape(
            id="network", elements=[], layout={"name": "preset"},
            style={"width": "100%", "height": "820px", "background": "white", "borderRadius": "6px", "marginTop": "8px"},
            stylesheet=[
                {"selector": "node", "style": {
                    "label": "data(label)", "background-color": "data(colour)", "width": "data(size)", "height": "data(size)",
                    "font-family": FONT, "font-size": 22, "text-valign": "bottom", "text-margin-y": 5,
                    "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 2}},
                {"selector": "edge", "style": {"width": "data(width)", "line-color": "#9aa5b1", "opacity": 0.75,
                                               "curve-style": "bezier"}},
            ],
            minZoom=0.3, maxZoom=3,
        ),
        html.Div(id="network-table"),
    ])


def network_outputs(reader: Reader, country, min_calls):
    where, params = "", []
    if country:
        where = "WHERE a.call_id IN (SELECT call_id FROM call_participant WHERE country_code = ?)"
        params.append(country)
    edges = reader.rows(
        f"""
        SELECT a.official_id AS a, b.official_id AS b, a.name_fa AS name_a, b.name_fa AS name_b,
               count(DISTINCT a.call_id) AS n_calls
        FROM stg_participant_named a JOIN stg_participant_named b
          ON a.call_id = b.call_id AND a.official_id < b.official_id
        {where}
        GROUP BY ALL HAVING count(DISTINCT a.call_id) >= ? ORDER BY n_calls DESC, a, b LIMIT 400
        """,
        params + [min_calls or 1],
    )
    nodes = reader.rows(
        "SELECT p.official_id, any_value(p.name_fa) AS name_fa, mode(p.country_code) AS country_code, "
        "any_value(c.name_fa) AS country_name, count(DISTINCT p.call_id) AS n_calls "
        "FROM stg_participant_named p LEFT JOIN dim_country c ON c.country_code = p.country_code GROUP BY p.official_id"
    )
    linked = {e["a"] for e in edges} | {e["b"] for e in edges}
    nodes = [n for n in nodes if n["official_id"] in linked]
    if not edges:
        message = ("هیچ دو مقامی با این فیلترها با هم تماس نداشته‌اند: کشور یا کمترین شمار تماس را تغییر دهید."
                   if country or (min_calls or 1) > 1 else "انبار داده هنوز تماسی میان دو مقام ندارد.")
        return [], html.Div(), _empty(message, "network-grid")
    top = max(e["n_calls"] for e in edges)
    elements = [
        {"data": {"id": n["official_id"], "label": n["name_fa"], "colour": _colour(n["country_code"]),
                  "size": 18 + 6 * min(n["n_calls"], 12), "href": f"/official/{quote(n['official_id'])}"}}
        for n in nodes
    ] + [
        {"data": {"source": e["a"], "target": e["b"], "width": 1.5 + 8 * e["n_calls"] / top}} for e in edges
    ]
    seen = {}
    for n in nodes:
        seen.setdefault(n["country_code"], n["country_name"] or n["country_code"] or "نامعلوم")
    legend = [html.Span([html.I(style={"background": _colour(code)}), name]) for code, name in sorted(seen.items(), key=lambda kv: kv[1])]
    body = [[_official_link(e["a"], e["name_a"]), _official_link(e["b"], e["name_b"]), _ltr(e["n_calls"])] for e in edges]
    return elements, legend, _table(["مقام", "مقام", "تماس‌ها"], body, "network-grid")


NETWORK_LAYOUT = {
    "name": "fcose", "quality": "proof", "randomize": True, "animate": False, "nodeDimensionsIncludeLabels": True,
    "nodeRepulsion": 30000, "idealEdgeLength": 160, "nodeSeparation": 120, "gravity": 0.2, "numIter": 3000,
    "packComponents": True, "padding": 30,
}


def map_layout(reader: Reader, query: dict) -> html.Div:
    countries = reader.rows(
        "SELECT DISTINCT p.country_code, coalesce(c.name_fa, p.country_code) AS name FROM call_participant p "
        "LEFT JOIN dim_country c USING (country_code) WHERE p.country_code IS NOT NULL ORDER BY name"
    )
    codes = {r["country_code"] for r in countries}
    chosen = (query.get("country") or [None])[0] or ("IR" if "IR" in codes else None)
    return html.Div([
        html.H2("نقشه تماس‌ها"),
        html.P("رنگ هر کشور: شمار تماس‌های مقام‌هایش با مقام‌های کشور انتخاب‌شده (بدون انتخاب: همه تماس‌های آن کشور).",
               className="muted"),
        html.Div([html.Div([html.Label("کشور طرف تماس"), dcc.Dropdown(
            id="m-country", options=[{"label": r["name"], "value": r["country_code"]} for r in countries],
            value=chosen, placeholder="همه تماس‌ها")], className="f")], className="filters"),
        html.Div(id="map-chart"),
        html.Div(id="map-table"),
    ])


def map_outputs(reader: Reader, country):
    if country:
        rows = reader.rows(
            """
            SELECT k.counterpart_code AS code, coalesce(c.name_fa, k.counterpart_code) AS name, c.kind,
                   sum(k.n_calls) AS n_calls
            FROM v_country_counterparts_year k LEFT JOIN dim_country c ON c.country_code = k.counterpart_code
            WHERE k.calendar = 'gregorian' AND k.country_code = ? GROUP BY ALL ORDER BY n_calls DESC, name
            """,
            [country],
        )
        chosen = reader.rows("SELECT name_fa FROM dim_country WHERE country_code = ?", [country])
        title = f"تماس‌های {chosen[0]['name_fa'] if chosen else country} با هر کشور"
    else:
        rows = reader.rows(
            """
            SELECT p.country_code AS code, coalesce(c.name_fa, p.country_code) AS name, c.kind,
                   count(DISTINCT p.call_id) AS n_calls
            FROM call_participant p LEFT JOIN dim_country c ON c.country_code = p.country_code
            WHERE p.country_code IS NOT NULL GROUP BY ALL ORDER BY n_calls DESC, name
            """
        )
        title = "شمار تماس‌های هر کشور"
    if not rows:
        return _empty("کشور انتخاب‌شده هیچ طرف تماسی ندارد." if country else "انبار داده هنوز تماسی ندارد.", "map-empty"), html.Div()
    iso3 = iso3_codes()
    on_map = [r for r in rows if r["code"] in iso3]
    fig = _figure(title, height=560)
    fig.add_trace(go.Choropleth(
        locations=[iso3[r["code"]] for r in on_map], z=[r["n_calls"] for r in on_map], locationmode="ISO-3",
        text=[r["name"] for r in on_map], hovertemplate="%{text}: %{z} تماس<extra></extra>",
        # zmax with zmin, or plotly ignores zmin and a single count spans the whole scale
        colorscale="Blues", zmin=0, zmax=max([r["n_calls"] for r in on_map], default=1),
        marker_line_color="#6c7a89", marker_line_width=0.5,
        colorbar={"title": {"text": "تماس"}, "thickness": 14,
                  **({"dtick": 1} if max([r["n_calls"] for r in on_map], default=0) <= 10 else {})},
    ))
    if country in iso3:
        fig.add_trace(go.Choropleth(locations=[iso3[country]], z=[1], locationmode="ISO-3", showscale=False,
                                    colorscale=[[0, "#e63946"], [1, "#e63946"]], hoverinfo="skip"))
    fig.update_geos(projection_type="natural earth", showcountries=True, countrycolor="#c9d1d9", showcoastlines=False,
                    showland=True, landcolor="#eef1f4", showframe=False, lataxis_range=[-58, 85],
                    projection_rotation={"lon": 30, "lat": 0})
    fig.update_layout(margin={"l": 0, "r": 0, "t": 50, "b": 0})
    body = [[_country_link(r["code"], r["name"]), _ltr(r["n_calls"]),
             "سازمان بین‌المللی (روی نقشه نیست)" if r["kind"] == "org" else ("" if r["code"] in iso3 else "روی نقشه نیست")]
            for r in rows]
    return _graph(fig, "world-map"), _table(["کشور یا سازمان", "تماس‌ها", ""], body, "map-grid")


def country_layout(reader: Reader, code: str, calendar: str) -> html.Div:
    found = reader.rows("SELECT country_code, name_fa, name_en, kind FROM dim_country WHERE country_code = ?", [code])
    if not found:
        return not_found(f"کشوری با کد «{code}» در انبار داده نیست.")
    country = found[0]
    calls = calls_where(["list_contains(c.participant_countries, ?)"], [code], reader)
    counterparts = reader.rows(
        """
        SELECT k.counterpart_code, k.counterpart_name_fa, sum(k.n_calls) AS n_calls
        FROM v_country_counterparts_year k WHERE k.calendar = 'gregorian' AND k.country_code = ?
        GROUP BY ALL ORDER BY n_calls DESC, k.counterpart_name_fa
        """,
        [code],
    )
    officials = reader.rows(
        """
        SELECT official_id, any_value(name_fa) AS name_fa, list(DISTINCT title_fa) FILTER (title_fa IS NOT NULL) AS titles,
               count(DISTINCT call_id) AS n_calls
        FROM stg_participant_named WHERE country_code = ? GROUP BY official_id ORDER BY n_calls DESC, name_fa
        """,
        [code],
    )
    header = [html.H2(f"{country['name_fa']}"),
              html.Div(["کد: ", _ltr(code), f"   |   {country['name_en']}   |   ",
                        "سازمان بین‌المللی" if country["kind"] == "org" else "کشور"], className="muted")]
    if not calls:
        return html.Div(header + [_empty(f"هیچ تماسی از مقام‌های {country['name_fa']} در انبار داده نیست.", "country-calls")])
    return html.Div(header + [
        html.Div([
            html.Div([html.Div(_ltr(len(calls)), className="n"), "تماس"], className="card"),
            html.Div([html.Div(_ltr(len(counterparts)), className="n"), "کشور طرف تماس"], className="card"),
            html.Div([html.Div(_ltr(len(officials)), className="n"), "مقام"], className="card"),
        ], className="cards"),
        calls_chart(calls, calendar, f"تماس‌های {country['name_fa']} در هر ماه", "country-chart"),
        html.Div([
            html.Div([html.H3("طرف‌های تماس"), _table(
                ["کشور", "تماس‌ها"], [[_country_link(r["counterpart_code"], r["counterpart_name_fa"]), _ltr(r["n_calls"])]
                                       for r in counterparts], "counterparts-grid",
                "تماس‌های این کشور طرف دیگری از کشوری دیگر ندارند.")]),
            html.Div([html.H3("مقام‌ها"), _table(
                ["مقام", "سمت‌ها در گزارش‌ها", "تماس‌ها"],
                [[_official_link(r["official_id"], r["name_fa"]), "، ".join(r["titles"] or []) or "-", _ltr(r["n_calls"])]
                 for r in officials], "officials-grid")]),
        ], className="two"),
        html.H3("تماس‌ها"),
        calls_table(calls, calendar, reader, "country-calls", "تماسی نیست."),
    ])


def official_layout(reader: Reader, official_id: str, calendar: str) -> html.Div:
    found = reader.rows(
        "SELECT o.*, c.name_fa AS country_name FROM dim_official o LEFT JOIN dim_country c USING (country_code) "
        "WHERE o.official_id = ?", [official_id])
    if not found:
        return not_found(f"مقامی با شناسه «{official_id}» در انبار داده نیست.")
    person = found[0]
    roles = reader.rows(
        "SELECT r.*, c.name_fa AS country_name FROM official_role r LEFT JOIN dim_country c USING (country_code) "
        "WHERE r.official_id = ? ORDER BY r.valid_from NULLS FIRST, r.title_fa", [official_id])
    calls = calls_where(["list_contains(c.participant_ids, ?)"], [official_id], reader)
    counterparts = reader.rows(
        """
        SELECT b.official_id, any_value(b.name_fa) AS name_fa, any_value(b.country_code) AS country_code,
               any_value(c.name_fa) AS country_name, count(DISTINCT a.call_id) AS n_calls
        FROM stg_participant_named a JOIN stg_participant_named b ON a.call_id = b.call_id AND a.official_id <> b.official_id
        LEFT JOIN dim_country c ON c.country_code = b.country_code
        WHERE a.official_id = ? GROUP BY b.official_id ORDER BY n_calls DESC, name_fa
        """,
        [official_id],
    )
    statements = reader.rows(
        "SELECT s.verb, s.text, s.call_id, s.article_id FROM statement s WHERE s.official_id = ? "
        "ORDER BY s.article_id, s.char_start LIMIT 200", [official_id])
    role_rows = [[r["title_fa"] or "-", _country_link(r["country_code"], r["country_name"]),
                  _ltr(day_label(r["valid_from"], calendar)) if r["valid_from"] else "نامعلوم",
                  _ltr(day_label(r["valid_to"], calendar)) if r["valid_to"] else ("تاکنون یا نامعلوم"),
                  "فهرست مرجع" if r["source"] == "gazetteer" else "متن خبر"] for r in roles]
    header = [
        html.H2(person["name_fa"]),
        html.Div([person["name_en"] or "", "   |   کشور: ", _country_link(person["country_code"], person["country_name"]),
                  f"   |   {len(calls)} تماس"], className="muted"),
    ]
    return html.Div(header + [
        html.H3("سمت‌ها (تاریخچه)"),
        _table(["سمت", "کشور", "از", "تا", "منبع"], role_rows, "roles-grid",
               "سمتی برای این مقام ثبت نشده است: نه در فهرست مرجع آمده و نه خبری سمتی برایش ذکر کرده است."),
        calls_chart(calls, calendar, "تماس‌ها در هر ماه", "official-chart") if calls
        else _empty("هیچ تماسی از این مقام در انبار داده نیست.", "official-calls"),
        html.Div([
            html.Div([html.H3("طرف‌های تماس"), _table(
                ["مقام", "کشور", "تماس‌ها"],
                [[_official_link(r["official_id"], r["name_fa"]), _country_link(r["country_code"], r["country_name"]),
                  _ltr(r["n_calls"])] for r in counterparts], "official-counterparts",
                "این مقام طرف تماسی ندارد.")]),
            html.Div([html.H3("اظهارات"), _table(
                ["فعل", "متن", ""],
                [[s["verb"], s["text"], _link("تماس", f"/call/{s['call_id']}") if s["call_id"]
                  else _link("خبر", f"/article/{s['article_id']}")] for s in statements],
                "statements-grid", "از این مقام اظهاری در گزارش‌ها نقل نشده است.")]),
        ], className="two"),
        html.H3("تماس‌ها"),
        calls_table(calls, calendar, reader, "official-calls-grid", "تماسی نیست."),
    ])


def call_layout(reader: Reader, call_id: str, calendar: str) -> html.Div:
    calls = reader.rows("SELECT * FROM v_calls WHERE call_id = ?", [call_id])
    if not calls:
        return not_found(f"تماسی با شناسه «{call_id}» در انبار داده نیست.")
    call = calls[0]
    participants = reader.rows(
        "SELECT * FROM stg_participant_named WHERE call_id = ? ORDER BY is_initiator DESC, name_fa", [call_id]
    )
    topics = reader.rows("SELECT * FROM stg_topic_named WHERE call_id = ? ORDER BY topic_code", [call_id])
    mentions = reader.rows(
        "SELECT m.*, a.published_at FROM stg_mention_sourced m JOIN dim_article a USING (article_id) "
        "WHERE m.call_id = ? ORDER BY m.published_date NULLS LAST, m.article_id", [call_id]
    )
    statements = reader.rows(
        "SELECT s.*, o.name_fa FROM statement s LEFT JOIN dim_official o USING (official_id) "
        "WHERE s.call_id = ? ORDER BY s.article_id, s.char_start",
        [call_id],
    )
    date_text = call_date_label(call, calendar)
    return html.Div([
        html.H2("جزئیات تماس"),
        html.Div([
            html.Div(["تاریخ: ", html.Span(date_text, id="call-date", className="ltr" if call["call_date_precision"] == "day" else ""),
                      f"   |   دقت تاریخ: {PRECISION_FA.get(call['call_date_precision'], 'نامعلوم')}"
                      f"   |   مبنای تاریخ: {BASIS_FA.get(call['date_basis'], '-')}"
                      f"   |   نوع: {MODE_FA.get(call['mode'], call['mode'])}"]),
            html.Div(["شناسه: ", _ltr(call_id), f"   |   شمار گزارش‌ها: {call['n_articles']}"], className="muted"),
        ], className="card"),
        html.H3("طرفین تماس"),
        _table(
            ["نام", "سمت", "کشور", "آغازکننده"],
            [[_official_link(p["official_id"], p["name_fa"]), p["title_fa"] or "-",
              _country_link(p["country_code"], p["country_name_fa"] or p["country_code"]),
              "بله" if p["is_initiator"] else ""] for p in participants],
            "participants-grid", "طرفین این تماس شناسایی نشده‌اند.",
        ),
        html.H3("موضوع‌ها و شاهد آن‌ها"),
        _table(["موضوع", "جمله شاهد"], [[t["topic_name_fa"] or t["topic_code"], t["evidence"]] for t in topics], "topics-grid",
               "این تماس موضوعی ندارد: در گزارش‌ها جمله‌ای درباره محتوای گفت‌وگو پیدا نشد (گسترش روابط دوجانبه موضوع شمرده نمی‌شود)."),
        html.H3("جمله‌های گزارش تماس"),
        html.Div([html.Div(m["evidence"], className="evidence") for m in mentions]),
        html.H3("مقاله‌های منبع"),
        _table(
            ["عنوان", "رسانه", "زمان انتشار", "پرونده"],
            [[_link(m["article_title"] or "بی‌عنوان", f"/article/{m['article_id']}"), m["outlet"] or "-",
              published(m["published_at"], m["published_date"], calendar),
              html.A(_ltr(Path(m["source_path"] or "").name), href=_safe_url(m["url"])) if _safe_url(m["url"])
              else _ltr(Path(m["source_path"] or "").name)]
             for m in mentions],
            "articles-grid",
        ),
        html.H3("اظهارات"),
        _table(["گوینده", "فعل", "متن"], [[_official_link(s["official_id"], s["name_fa"]) if s["official_id"] else "-",
                                         s["verb"], s["text"]] for s in statements], "call-statements",
               "در گزارش‌های این تماس اظهاری از طرفین نقل نشده است."),
    ])


def article_layout(reader: Reader, article_id: str, calendar: str) -> html.Div:
    found = reader.rows("SELECT * FROM dim_article WHERE article_id = ?", [article_id])
    if not found:
        return not_found(f"مقاله‌ای با شناسه «{article_id}» در انبار داده نیست.")
    article = found[0]
    calls = calls_where(["c.call_id IN (SELECT call_id FROM call_mention WHERE article_id = ?)"], [article_id], reader)
    url = _safe_url(article["url"])
    return html.Div([
        html.H2(article["title"] or "بی‌عنوان", id="article-title"),
        html.Div([
            html.Div([f"رسانه: {article['outlet'] or 'نامعلوم'}", f"   |   به نقل از: {article['cited_outlet']}" if article["cited_outlet"] else "",
                      "   |   زمان انتشار: ", published(article["published_at"], article["published_date"], calendar)]),
            html.Div(["پرونده: ", _ltr(Path(article["source_path"]).name)]
                     + (["   |   ", html.A("نشانی اصلی خبر", href=url, target="_blank", rel="noopener")] if url else []),
                     className="muted"),
        ], className="card"),
        html.H3("تماس‌هایی که این خبر گزارش کرده است"),
        calls_table(calls, calendar, reader, "article-calls", "این خبر تماسی گزارش نکرده است (یا تماسی در آن شناخته نشد).")
        if calls else _empty("این خبر تماسی گزارش نکرده است (یا تماسی در آن شناخته نشد).", "article-calls"),
        html.H3("متن خبر"),
        html.Div(article["clean_text"], className="article-text"),
    ])


def search_layout(reader: Reader, query: dict, calendar: str, clean: Callable[[str], str] | None) -> html.Div:
    from warehouse.search import search

    text = (query.get("q") or [""])[0]
    form = html.Form([dcc.Input(name="q", type="text", value=text, placeholder="واژه‌ها، مثلاً: گفتگوی تلفنی عراقچی",
                                style={"width": "420px"}, id="search-box"),
                      html.Button("جستجو", type="submit")], action="/search", method="get")
    head = [html.H2("جستجوی متن خبرها"), form,
            html.P("خبرهایی که همه واژه‌ها را دارند؛ املای واژه مهم نیست (گفتگو، گفت‌وگو و گفت و گو یکی‌اند).", className="muted")]
    if not text.strip():
        return html.Div(head + [_empty("عبارتی بنویسید و «جستجو» را بزنید.", "search-results")])
    con = reader.connect()
    try:
        results = search(con, text, 30, clean=clean)
    except LookupError as exc:
        return html.Div(head + [_empty(str(exc), "search-results")])
    finally:
        con.close()
    if not results:
        return html.Div(head + [_empty(f"هیچ خبری همه واژه‌های «{text}» را ندارد.", "search-results")])
    hits = []
    for r in results:
        snip = r["snippet"]
        calls = [html.Span([_link(" – ".join(c["participants"]) or "تماس", f"/call/{c['call_id']}"),
                            " (", date_span(call_date_label_from_hit(c, calendar)), ")  "]) for c in r["calls"]]
        hits.append(html.Div([
            html.Div([_link(r["title"] or "بی‌عنوان", f"/article/{r['article_id']}", style={"fontWeight": "bold"}),
                      html.Span(f"   {r['outlet'] or ''}   ", className="muted"),
                      published(r["published_at"], r["published_date"], calendar)]),
            html.Div([snip["before"], html.Mark(snip["match"]), snip["after"]]) if snip else html.Div(),
            html.Div(["تماس‌های این خبر: "] + calls if calls else [html.Span("این خبر تماسی گزارش نکرده است.", className="muted")]),
        ], className="hit"))
    return html.Div(head + [html.Div(f"{len(results)} خبر", className="muted"), html.Div(hits, id="search-results")])


def call_date_label_from_hit(call: dict, calendar: str) -> str:
    if calendar == "jalali":
        return call.get("date_jalali") or "بی‌تاریخ"
    value = call.get("date_gregorian")
    if not value:
        return "بی‌تاریخ"
    found = re.fullmatch(r"([A-Z][a-z]+) (\d{4})", value)  # the view's English month label
    english = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]
    if found and found.group(1) in english:
        return f"{GREGORIAN_MONTHS[english.index(found.group(1))]} {found.group(2)}"
    return value


def not_found(message) -> html.Div:
    return html.Div([
        html.H2("پیدا نشد (۴۰۴)", id="not-found"),
        html.P(message),
        html.P(["به ", _link("صفحه تماس‌ها", "/"), " بروید یا از نوار بالا صفحه‌ای را انتخاب کنید."]),
    ])


# ------------------------------------------------------------------------------- app

def create_app(warehouse: Path, clean: Callable[[str], str] | None = None) -> Dash:
    """``clean`` is the cleaning the articles' text went through (the search normalises
    queries with it; flows/analyst_cli.py hands in transforms.cleaning.clean_text)."""
    reader = Reader(warehouse)
    app = Dash(__name__, title="تماس‌های دیپلماتیک", suppress_callback_exceptions=True, update_title=None,
               assets_folder=str(Path(__file__).parent / "assets"))
    app.index_string = INDEX
    cyto.load_extra_layouts()  # fcose, from dash-cytoscape's own bundle
    app.layout = html.Div([
        dcc.Location(id="url"),
        html.Div(
            [html.H1("تماس‌های تلفنی دیپلماتیک")]
            + [_link(label, href) for href, label in NAV]
            + [html.Div([html.Span("تقویم:"), dcc.RadioItems(
                id="calendar", options=CALENDARS, value="jalali", inline=True, persistence=True,
                persistence_type="session")], className="calendar")],
            className="top",
        ),
        html.Div(id="page", className="page"),
    ])

    @app.callback(Output("page", "children"), Input("url", "pathname"), Input("calendar", "value"), State("url", "search"))
    def route(pathname, calendar, search):
        query = parse_qs((search or "").lstrip("?"))
        pathname = pathname or "/"
        calendar = calendar or "jalali"
        try:
            if pathname == "/":
                return calls_layout(reader, query, calendar)
            if pathname.startswith("/call/"):
                return call_layout(reader, pathname.removeprefix("/call/"), calendar)
            if pathname.startswith("/country/"):
                return country_layout(reader, pathname.removeprefix("/country/"), calendar)
            if pathname.startswith("/official/"):
                from urllib.parse import unquote

                return official_layout(reader, unquote(pathname.removeprefix("/official/")), calendar)
            if pathname.startswith("/article/"):
                return article_layout(reader, pathname.removeprefix("/article/"), calendar)
            if pathname == "/pairs":
                return pairs_layout(reader, calendar)
            if pathname == "/topics":
                return topics_layout(reader, calendar)
            if pathname == "/network":
                return network_layout(reader, query)
            if pathname == "/map":
                return map_layout(reader, query)
            if pathname == "/search":
                return search_layout(reader, query, calendar, clean)
            return not_found(["نشانی ", _ltr(pathname), " صفحه‌ای از این داشبورد نیست."])
        except FileNotFoundError as exc:
            return _empty(str(exc))

    @app.callback(
        Output("calls-count", "children"), Output("calls-chart", "children"), Output("calls-table", "children"),
        Input("f-country", "value"), Input("f-official", "value"), Input("f-topic", "value"),
        Input("f-from", "value"), Input("f-to", "value"),
        # State, not Input: a calendar switch re-renders the page, and its new filters call this
        # again; as an Input it also answered into the old page, where typed filters were lost
        State("calendar", "value"),
    )
    def update_calls(country, official, topic, date_from, date_to, calendar):
        return calls_outputs(reader, country, official, topic, date_from, date_to, calendar or "jalali")

    @app.callback(
        Output("network", "elements"), Output("network", "layout"), Output("network-legend", "children"),
        Output("network-table", "children"), Input("n-country", "value"), Input("n-min", "value"),
    )
    def update_network(country, min_calls):
        elements, legend, table = network_outputs(reader, country, min_calls)
        return elements, dict(NETWORK_LAYOUT), legend, table

    @app.callback(Output("url", "href"), Input("network", "tapNodeData"), prevent_initial_call=True)
    def open_official(node):
        return node["href"] if node else None

    @app.callback(Output("map-chart", "children"), Output("map-table", "children"), Input("m-country", "value"))
    def update_map(country):
        return map_outputs(reader, country)

    @app.server.route("/healthz")
    def healthz():
        rows = reader.rows(
            "SELECT (SELECT count(*) FROM v_calls) AS calls, (SELECT count(*) FROM dim_article) AS articles, "
            "(SELECT count(*) FROM ingest_run) AS runs"
        )
        return rows[0]

    pages = re.compile("|".join(f"(?:{p})" for p in PAGE_PATTERNS))

    @app.server.after_request
    def status_404(response):
        """An address that is no page answers 404 (the page itself says so)."""
        from flask import request

        path = request.path
        if (request.method == "GET" and response.status_code == 200 and not pages.fullmatch(path)
                and not path.startswith(("/_dash", "/assets/", "/_favicon", "/_reload", "/healthz"))):
            response.status_code = 404
        return response

    return app


def serve(warehouse: Path, host: str = "127.0.0.1", port: int = 8050, clean: Callable[[str], str] | None = None) -> None:
    app = create_app(warehouse, clean)
    print(f"tamas dashboard: http://{host}:{port}/  (warehouse {warehouse}, read-only; Ctrl-C stops)", flush=True)
    app.run(host=host, port=port, debug=False)
