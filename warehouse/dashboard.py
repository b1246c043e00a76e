"""``tamas dashboard``: the analysts' web dashboard (Dash + plotly), Persian and RTL.

Pages: calls over time (filters: country, official, topic, date range, Gregorian or
Jalali), top country pairs, topics over time, the network of officials, one call's
detail, and full-text search.

Reading: every callback opens the warehouse with ``store.connect_readonly`` (a private
in-memory database that attaches the file read-only, no other file or network access)
and closes it before returning. A run never writes the warehouse file (it loads a copy
and renames it over the path), so a request during a run reads the previous complete
state, the first request after the rename reads the new one, however many requests are
open at the time, and the dashboard never holds a lock or a file a run needs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qs

import plotly.graph_objects as go
from dash import Dash, Input, Output, State, dcc, html

from warehouse.store import connect_readonly

FONT = "Vazirmatn, 'Noto Sans Arabic', 'Noto Naskh Arabic', 'DejaVu Sans', Tahoma, sans-serif"
CALENDARS = [{"label": " میلادی", "value": "gregorian"}, {"label": " شمسی (جلالی)", "value": "jalali"}]
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩/", "01234567890123456789-")

INDEX = """<!DOCTYPE html>
<html lang="fa" dir="rtl">
<head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}
<style>
body { font-family: FONT; direction: rtl; margin: 0; background: #f6f7f9; color: #1d2733; }
.top { background: #1d3557; color: white; padding: 10px 20px; display: flex; gap: 22px; align-items: center; flex-wrap: wrap; }
.top a { color: #f1faee; text-decoration: none; font-size: 16px; }
.top a:hover { text-decoration: underline; }
.top h1 { font-size: 20px; margin: 0 0 0 20px; }
.page { padding: 16px 22px; }
.filters { display: flex; flex-wrap: wrap; gap: 14px; align-items: end; background: white; padding: 12px; border-radius: 6px; }
.filters label { display: block; font-size: 13px; color: #555; margin-bottom: 3px; }
.filters .f { min-width: 190px; }
table.grid { border-collapse: collapse; width: 100%; background: white; margin-top: 12px; }
table.grid th, table.grid td { border: 1px solid #dde2e8; padding: 6px 9px; text-align: right; vertical-align: top; }
table.grid th { background: #e9eef4; }
.ltr { direction: ltr; unicode-bidi: isolate; display: inline-block; white-space: nowrap; }
.muted { color: #667; font-size: 13px; }
.evidence { background: #fffbe6; border-right: 4px solid #e9c46a; padding: 8px 12px; margin: 8px 0; line-height: 1.9; }
.card { background: white; padding: 12px 16px; border-radius: 6px; margin-top: 12px; }
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


def _ltr(text) -> html.Span:
    return html.Span("" if text is None else str(text), className="ltr")


def _table(header: list[str], body: list[list], table_id: str | None = None) -> html.Table:
    props = {"id": table_id} if table_id else {}
    return html.Table(
        [html.Thead(html.Tr([html.Th(h) for h in header])), html.Tbody([html.Tr([html.Td(c) for c in row]) for row in body])],
        className="grid",
        **props,
    )


def _figure(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title=title, font={"family": FONT, "size": 14}, margin={"l": 40, "r": 40, "t": 50, "b": 40},
        paper_bgcolor="white", plot_bgcolor="#fbfcfd", height=360,
    )
    return fig


def _is_web_url(url: str | None) -> bool:
    """Only http(s) addresses become links: a record's url is input, and a data: or
    javascript: one must not be one click away."""
    return bool(url) and url.strip().lower().startswith(("http://", "https://"))


def _date_filter(value: str | None) -> str | None:
    value = (value or "").strip().translate(_DIGITS)
    return value or None


# ----------------------------------------------------------------------------- pages

def calls_layout(reader: Reader, query: dict) -> html.Div:
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
                    html.Div([html.Label("از تاریخ (YYYY-MM-DD)"), dcc.Input(
                        id="f-from", type="text", debounce=True, value=first("from") or "", placeholder="1399-01-01")]),
                    html.Div([html.Label("تا تاریخ"), dcc.Input(
                        id="f-to", type="text", debounce=True, value=first("to") or "", placeholder="1402-12-29")], style={"width": "140px"}),
                    html.Div([html.Label("تقویم"), dcc.RadioItems(
                        id="f-calendar", options=CALENDARS, value=first("calendar") or "jalali", inline=True)]),
                ],
                className="filters",
            ),
            html.Div(id="calls-count", className="muted", style={"marginTop": "10px"}),
            dcc.Graph(id="calls-chart", config={"displayModeBar": False}),
            html.Div(id="calls-table"),
        ]
    )


def filtered_calls(reader: Reader, country, official, topic, date_from, date_to, calendar) -> list[dict]:
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
    column = "c.call_date_jalali" if calendar == "jalali" else "CAST(c.call_date AS VARCHAR)"
    if _date_filter(date_from):
        where.append(f"{column} >= ?")
        params.append(_date_filter(date_from))
    if _date_filter(date_to):
        where.append(f"{column} <= ?")
        params.append(_date_filter(date_to))
    sql = (
        "SELECT c.*, (SELECT list(coalesce(t.name_fa, x) ORDER BY x) FROM unnest(c.topic_codes) AS u(x) "
        "LEFT JOIN dim_topic t ON t.topic_code = x) AS topic_names, "
        "s.call_month_label, s.call_month_jalali_label "
        "FROM v_calls c JOIN stg_call_dated s USING (call_id)"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY c.call_date NULLS LAST, c.call_id"
    )
    return reader.rows(sql, params)


def calls_outputs(reader: Reader, country, official, topic, date_from, date_to, calendar):
    calls = filtered_calls(reader, country, official, topic, date_from, date_to, calendar)
    jalali = calendar == "jalali"
    per_month: dict[str, int] = defaultdict(int)
    for call in calls:
        per_month[(call["call_month_jalali_label"] if jalali else call["call_month_label"]) or "بی‌تاریخ"] += 1
    fig = _figure("تعداد تماس‌ها در هر ماه " + ("(شمسی)" if jalali else "(میلادی)"))
    months = sorted(per_month)
    fig.add_bar(x=months, y=[per_month[m] for m in months], marker_color="#457b9d", name="تماس")
    fig.update_xaxes(type="category")
    rows = []
    for call in calls:
        people = [
            html.Div(f"{name} ({title or '-'}، {country_code or '-'})")
            for name, title, country_code in zip(
                call["participant_names"] or [], call["participant_titles"] or [], call["participant_countries"] or []
            )
        ]
        date = call["call_date_jalali"] if jalali else call["call_date"]
        rows.append([
            _ltr(date or "-"),
            html.Span(call["call_date_precision"] or "-", className="muted"),
            html.Div(people),
            call["initiator_name"] or "-",
            "، ".join(call["topic_names"] or []),
            _ltr(call["n_articles"]),
            dcc.Link("جزئیات", href=f"/call/{call['call_id']}"),
        ])
    table = _table(["تاریخ", "دقت", "طرفین تماس", "آغازکننده", "موضوع‌ها", "مقاله‌ها", ""], rows, "calls-grid")
    return f"{len(calls)} تماس", fig, table


def pairs_layout(reader: Reader) -> html.Div:
    pairs = reader.rows(
        """
        SELECT p.country_a, p.country_b, coalesce(a.name_fa, p.country_a) AS name_a,
               coalesce(b.name_fa, p.country_b) AS name_b, sum(p.n_calls) AS n_calls,
               min(p.month) AS first_month, max(p.month) AS last_month
        FROM v_country_pair_month p
        LEFT JOIN dim_country a ON a.country_code = p.country_a
        LEFT JOIN dim_country b ON b.country_code = p.country_b
        GROUP BY ALL ORDER BY n_calls DESC, p.country_a, p.country_b LIMIT 25
        """
    )
    fig = _figure("پرتماس‌ترین جفت کشورها")
    labels = [f"{r['name_a']} – {r['name_b']}" for r in pairs][::-1]
    fig.add_bar(y=labels, x=[r["n_calls"] for r in pairs][::-1], orientation="h", marker_color="#e76f51")
    fig.update_layout(height=max(300, 40 * len(pairs) + 100))
    body = [[r["name_a"], r["name_b"], _ltr(r["n_calls"]), _ltr(r["first_month"]), _ltr(r["last_month"])] for r in pairs]
    return html.Div([
        html.H2("جفت کشورها"),
        dcc.Graph(figure=fig, config={"displayModeBar": False}),
        _table(["کشور", "کشور", "تماس‌ها", "نخستین ماه", "آخرین ماه"], body, "pairs-grid"),
    ])


def topics_layout(reader: Reader, calendar: str) -> html.Div:
    label = "s.call_month_jalali_label" if calendar == "jalali" else "s.call_month_label"
    rows = reader.rows(
        f"""
        SELECT {label} AS month, coalesce(d.name_fa, t.topic_code) AS topic, count(DISTINCT t.call_id) AS n_calls
        FROM call_topic t JOIN stg_call_dated s USING (call_id) LEFT JOIN dim_topic d USING (topic_code)
        WHERE {label} IS NOT NULL GROUP BY ALL ORDER BY month, topic
        """
    )
    fig = _figure("موضوع‌ها در گذر زمان " + ("(ماه شمسی)" if calendar == "jalali" else "(ماه میلادی)"))
    by_topic: dict[str, dict[str, int]] = defaultdict(dict)
    months = sorted({r["month"] for r in rows})
    for r in rows:
        by_topic[r["topic"]][r["month"]] = r["n_calls"]
    for topic, counts in sorted(by_topic.items()):
        fig.add_bar(name=topic, x=months, y=[counts.get(m, 0) for m in months])
    fig.update_layout(barmode="stack", height=460)
    fig.update_xaxes(type="category")
    other = "gregorian" if calendar == "jalali" else "jalali"
    return html.Div([
        html.H2("موضوع‌ها"),
        dcc.Link("نمایش با تقویم " + ("میلادی" if other == "gregorian" else "شمسی"), href=f"/topics?calendar={other}"),
        dcc.Graph(figure=fig, config={"displayModeBar": False}),
    ])


def network_layout(reader: Reader) -> html.Div:
    edges = reader.rows(
        """
        SELECT a.official_id AS a, b.official_id AS b, a.name_fa AS name_a, b.name_fa AS name_b,
               count(DISTINCT a.call_id) AS n_calls
        FROM stg_participant_named a JOIN stg_participant_named b
          ON a.call_id = b.call_id AND a.official_id < b.official_id
        GROUP BY ALL ORDER BY n_calls DESC, a, b LIMIT 400
        """
    )
    nodes = reader.rows(
        "SELECT official_id, any_value(name_fa) AS name_fa, any_value(country_code) AS country_code, "
        "count(DISTINCT call_id) AS n_calls FROM stg_participant_named GROUP BY official_id ORDER BY country_code, name_fa"
    )
    linked = {e["a"] for e in edges} | {e["b"] for e in edges}
    nodes = [n for n in nodes if n["official_id"] in linked]
    # Circle layout, officials grouped by country so that each country is one arc.
    pos = {
        n["official_id"]: (math.cos(2 * math.pi * i / max(len(nodes), 1)), math.sin(2 * math.pi * i / max(len(nodes), 1)))
        for i, n in enumerate(nodes)
    }
    fig = _figure("شبکه مقام‌ها: چه کسی با چه کسی تماس داشت (ضخامت خط = تعداد تماس)")
    top = max([e["n_calls"] for e in edges] or [1])
    for e in edges:
        (x0, y0), (x1, y1) = pos[e["a"]], pos[e["b"]]
        fig.add_scatter(
            x=[x0, x1], y=[y0, y1], mode="lines", line={"width": 1 + 7 * e["n_calls"] / top, "color": "#8d99ae"},
            hoverinfo="text", text=f"{e['name_a']} – {e['name_b']}: {e['n_calls']}", showlegend=False,
        )
    fig.add_scatter(
        x=[pos[n["official_id"]][0] for n in nodes], y=[pos[n["official_id"]][1] for n in nodes],
        mode="markers+text", text=[f"{n['name_fa']} ({n['country_code'] or '-'})" for n in nodes],
        textposition="top center", hovertext=[f"{n['name_fa']}: {n['n_calls']} تماس" for n in nodes],
        hoverinfo="text", marker={"size": [10 + 3 * min(n["n_calls"], 10) for n in nodes], "color": "#1d3557"},
        showlegend=False,
    )
    fig.update_xaxes(visible=False, range=[-1.5, 1.5])
    fig.update_yaxes(visible=False, range=[-1.4, 1.4], scaleanchor="x")
    fig.update_layout(height=620)
    body = [[e["name_a"], e["name_b"], _ltr(e["n_calls"])] for e in edges]
    return html.Div([
        html.H2("شبکه مقام‌ها"),
        dcc.Graph(figure=fig, config={"displayModeBar": False}),
        _table(["مقام", "مقام", "تماس‌ها"], body, "network-grid"),
    ])


def call_layout(reader: Reader, call_id: str) -> html.Div:
    calls = reader.rows("SELECT * FROM v_calls WHERE call_id = ?", [call_id])
    if not calls:
        return html.Div([html.H2("تماس پیدا نشد"), html.P(_ltr(call_id))])
    call = calls[0]
    participants = reader.rows(
        "SELECT * FROM stg_participant_named WHERE call_id = ? ORDER BY is_initiator DESC, name_fa", [call_id]
    )
    topics = reader.rows("SELECT * FROM stg_topic_named WHERE call_id = ? ORDER BY topic_code", [call_id])
    mentions = reader.rows(
        "SELECT * FROM stg_mention_sourced WHERE call_id = ? ORDER BY published_date NULLS LAST, article_id", [call_id]
    )
    statements = reader.rows(
        "SELECT s.*, o.name_fa FROM statement s LEFT JOIN dim_official o USING (official_id) "
        "WHERE s.call_id = ? ORDER BY s.article_id, s.char_start",
        [call_id],
    )
    return html.Div([
        html.H2("جزئیات تماس"),
        html.Div([
            html.Div(["تاریخ شمسی: ", _ltr(call["call_date_jalali"] or "-"), "   |   تاریخ میلادی: ", _ltr(call["call_date"] or "-"),
                      f"   |   دقت: {call['call_date_precision'] or '-'}   |   مبنا: {call['date_basis'] or '-'}   |   نوع: {call['mode']}"]),
            html.Div(["شناسه: ", _ltr(call_id), f"   |   شمار گزارش‌ها: {call['n_articles']}"], className="muted"),
        ], className="card"),
        html.H3("طرفین تماس"),
        _table(
            ["نام", "سمت", "کشور", "آغازکننده"],
            [[p["name_fa"], p["title_fa"] or "-", p["country_name_fa"] or p["country_code"] or "-", "بله" if p["is_initiator"] else ""]
             for p in participants],
            "participants-grid",
        ),
        html.H3("موضوع‌ها و شاهد آن‌ها"),
        _table(["موضوع", "جمله شاهد"], [[t["topic_name_fa"] or t["topic_code"], t["evidence"]] for t in topics], "topics-grid"),
        html.H3("جمله‌های گزارش تماس"),
        html.Div([html.Div(m["evidence"], className="evidence") for m in mentions]),
        html.H3("مقاله‌های منبع"),
        _table(
            ["عنوان", "رسانه", "تاریخ انتشار", "پرونده"],
            [[m["article_title"] or "-", m["outlet"] or "-", _ltr(m["published_date"] or "-"),
              html.A(_ltr(Path(m["source_path"] or "").name), href=m["url"]) if _is_web_url(m["url"])
              else _ltr(Path(m["source_path"] or "").name)]
             for m in mentions],
            "articles-grid",
        ),
        html.H3("اظهارات"),
        _table(["گوینده", "فعل", "متن"], [[s["name_fa"] or "-", s["verb"], s["text"]] for s in statements]),
    ])


def search_layout(reader: Reader, query: dict) -> html.Div:
    from warehouse.search import search

    text = (query.get("q") or [""])[0]
    results = []
    if text.strip():
        con = reader.connect()
        try:
            results = search(con, text, 20)
        except LookupError as exc:
            return html.Div([html.H2("جستجو"), html.P(str(exc))])
        finally:
            con.close()
    body = [[_ltr(f"{r['score']:.3f}"), r["title"] or "-", r["outlet"] or "-", _ltr(r["published_date"] or "-"),
             _ltr(r["n_calls"]), _ltr(Path(r["source_path"]).name)] for r in results]
    return html.Div([
        html.H2("جستجوی متن مقاله‌ها"),
        html.Form([dcc.Input(name="q", type="text", value=text, placeholder="عبارت...", style={"width": "380px"}),
                   html.Button("جستجو", type="submit")], action="/search", method="get"),
        _table(["امتیاز", "عنوان", "رسانه", "تاریخ", "تماس‌ها", "پرونده"], body, "search-grid") if text else html.Div(),
    ])


# ------------------------------------------------------------------------------- app

def create_app(warehouse: Path) -> Dash:
    reader = Reader(warehouse)
    app = Dash(__name__, title="تماس‌های دیپلماتیک", suppress_callback_exceptions=True, update_title=None)
    app.index_string = INDEX
    nav = [("/", "تماس‌ها"), ("/pairs", "جفت کشورها"), ("/topics", "موضوع‌ها"), ("/network", "شبکه مقام‌ها"), ("/search", "جستجو")]
    app.layout = html.Div([
        dcc.Location(id="url"),
        html.Div([html.H1("تماس‌های تلفنی دیپلماتیک")] + [dcc.Link(label, href=href) for href, label in nav], className="top"),
        html.Div(id="page", className="page"),
    ])

    @app.callback(Output("page", "children"), Input("url", "pathname"), State("url", "search"))
    def route(pathname, search):
        query = parse_qs((search or "").lstrip("?"))
        pathname = pathname or "/"
        try:
            if pathname.startswith("/call/"):
                return call_layout(reader, pathname.removeprefix("/call/"))
            if pathname == "/pairs":
                return pairs_layout(reader)
            if pathname == "/topics":
                return topics_layout(reader, (query.get("calendar") or ["jalali"])[0])
            if pathname == "/network":
                return network_layout(reader)
            if pathname == "/search":
                return search_layout(reader, query)
            return calls_layout(reader, query)
        except FileNotFoundError as exc:
            return html.P(str(exc))

    @app.callback(
        Output("calls-count", "children"), Output("calls-chart", "figure"), Output("calls-table", "children"),
        Input("f-country", "value"), Input("f-official", "value"), Input("f-topic", "value"),
        Input("f-from", "value"), Input("f-to", "value"), Input("f-calendar", "value"),
    )
    def update_calls(country, official, topic, date_from, date_to, calendar):
        return calls_outputs(reader, country, official, topic, date_from, date_to, calendar)

    @app.server.route("/healthz")
    def healthz():
        rows = reader.rows(
            "SELECT (SELECT count(*) FROM v_calls) AS calls, (SELECT count(*) FROM dim_article) AS articles, "
            "(SELECT count(*) FROM ingest_run) AS runs"
        )
        return rows[0]

    return app


def serve(warehouse: Path, host: str = "127.0.0.1", port: int = 8050) -> None:
    app = create_app(warehouse)
    print(f"tamas dashboard: http://{host}:{port}/  (warehouse {warehouse}, read-only; Ctrl-C stops)", flush=True)
    app.run(host=host, port=port, debug=False)
