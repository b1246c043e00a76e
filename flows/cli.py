"""The ``tamas`` command line.

Exit status: 0 when a run completed (rejected files included), 1 when a run failed,
2 for bad input (missing path, unwritable warehouse, bad query), 75 when another run
holds the warehouse. Errors are one line on stderr, never a traceback (``tamas sql``
prints DuckDB's message whole: its hints and the caret under the query).
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import traceback
from pathlib import Path

from core.collector import collector_paused, freeze_and_resume
from flows import analyst_cli, output, runtime
from flows.options import max_file_mb_option, warehouse_option
from flows.settings import SettingError, settings

EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 1, 2, 75


class Stopped(BaseException):
    """SIGTERM or Ctrl-C reached ``tamas ingest``: unwind (the run is recorded as failed, the
    warehouse stays as it was, the pool workers are killed), then exit 128 + signal."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_stopped(signum, frame):
    raise Stopped(signum)


def _fail(message: str, status: int) -> int:
    print(f"tamas: error: {message}", file=sys.stderr)
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tamas",
        description="Ingest Persian news articles into a DuckDB warehouse of diplomatic phone calls.",
    )
    parser.add_argument("--verbose", action="store_true", help="show Prefect's own log lines")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser(
        "ingest",
        help="ingest article files and folders into the warehouse",
        description=(
            "Run the ingest_articles flow over files and folders (recursive): .txt, .md, .json, "
            ".jsonl, .html, Telegram Desktop exports (result.json), RSS/Atom feeds (.rss, .atom, .xml). Unchanged files are skipped without being read; every file seen gets "
            "one ingest_file row (loaded, duplicate, unchanged or rejected with a reason)."
        ),
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    warehouse_option(ingest)
    max_file_mb_option(ingest)
    ingest.add_argument(
        "--workers", type=int, default=None, metavar="N",
        help="processes for cleaning and extraction (default: number of CPU cores)",
    )
    ingest.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS",
        help="if another run is writing the warehouse, wait up to SECONDS for it (default: 0, exit at once with status 75)",
    )

    # Scaling out (docs/scaling.md): a Dask cluster for the transform batches, DuckLake for the warehouse.
    ingest.add_argument(
        "--task-runner", choices=("threads", "dask"), default="threads",
        help="where the batches run: threads + a local process pool (default) or a Dask cluster",
    )
    ingest.add_argument(
        "--dask-address", default=None, metavar="tcp://HOST:PORT",
        help="Dask scheduler to use with --task-runner dask (default: start a LocalCluster of --workers processes)",
    )
    ingest.add_argument(
        "--lake-data", default=None, metavar="PATH",
        help="with --warehouse ducklake:postgres:..., where the lake's Parquet files live",
    )

    serve = commands.add_parser(
        "serve",
        help="serve ingest_articles on a schedule from a Prefect server",
        description=(
            "Register a Prefect deployment of ingest_articles over PATH with a cron or interval "
            "schedule and serve it: runs are scheduled by the Prefect server named by "
            "PREFECT_API_URL and executed by this process until it is stopped (Ctrl-C or SIGTERM "
            "pauses the schedule). Start the server first: PREFECT_HOME=data/prefect-server "
            "PREFECT_SERVER_ANALYTICS_ENABLED=false prefect server start (see docs/operations.md)."
        ),
    )
    serve.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    warehouse_option(serve)
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", metavar="EXPR", help='cron schedule, e.g. "*/15 * * * *"')
    when.add_argument(
        "--interval", type=float, metavar="SECONDS",
        help="run every SECONDS instead (at least 1; a short one is for trying it out)",
    )
    serve.add_argument("--name", default="tamas", help="deployment name (default: tamas; runs show as ingest_articles/NAME)")
    max_file_mb_option(serve)
    serve.add_argument(
        "--wait", type=float, default=300.0, metavar="SECONDS",
        help="a scheduled run that finds another run writing waits up to SECONDS (default: 300)",
    )

    sql = commands.add_parser(
        "sql",
        help="run read-only SQL and print the result",
        description="Run read-only SQL against the warehouse and print each result. Several statements "
        "(separated by ;) run in order, each result printed in turn. Errors are DuckDB's own, hints "
        "included. Times print in Tehran time (SET TimeZone = 'Asia/Tehran').",
    )
    sql.add_argument("query", help='the query, e.g. "SELECT * FROM v_calls"')
    warehouse_option(sql)
    output.add_format_options(sql)
    analyst_cli.add_commands(commands)  # docs, search, export, dashboard (flows/analyst_cli.py)
    return parser


def _missing_path(paths: list[str]) -> str | None:
    """The usage error for the first input path that does not exist, if any."""
    for path in paths:
        if not Path(path).exists():
            return f"no such file or folder: {path}"
    return None


def cmd_ingest(args) -> int:
    # The command's start imports Prefect, polars and DuckDB: hundreds of thousands of
    # objects that live as long as the process, which the cycle collector would scan
    # again and again. It stays off until the flow is about to run (_run_ingest).
    with collector_paused():
        return _cmd_ingest(args)


def _cmd_ingest(args) -> int:
    if args.dask_address and args.task_runner != "dask":
        return _fail("--dask-address needs --task-runner dask", EXIT_USAGE)
    warehouse = args.warehouse or runtime.default_warehouse()
    missing = _missing_path(args.paths)
    if missing:
        return _fail(missing, EXIT_USAGE)

    runtime.skip_known_migrations()  # before Prefect is imported: it reads settings then
    # The temporary server's start (seconds of its own imports) is the longest wait of a
    # small run: launch it before this process imports anything heavy (DuckDB, polars,
    # Prefect), so that all of that overlaps it. A bad warehouse below stops it again.
    server = None if runtime.user_api_url() else runtime.prefect_server(settings().prefect_server_keep)
    if server is not None:
        try:
            server.start()
        except (OSError, RuntimeError) as exc:  # a kept server's files or locks
            server.stop()
            return _fail(f"the Prefect server could not start: {exc}", EXIT_FAILED)
    try:
        target = _ingest_target(args, warehouse)
        if isinstance(target, int):
            return target
        spec, lake_options = target
        # Prefect swaps in its own SIGTERM handler while the flow runs and sends the signal
        # again to this one when the flow has unwound. Ctrl-C the same way: Python's own
        # KeyboardInterrupt did not stop a run waiting on its pool. polars installs a SIGINT
        # handler when imported, with SA_RESTART, so that a wait of the main thread never
        # returns to Python on Ctrl-C (pola-rs/polars#21739): import it first, and ours
        # replaces it.
        import polars  # noqa: F401
        signal.signal(signal.SIGTERM, _raise_stopped)
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, _raise_stopped)
        return _run_ingest(args, spec, lake_options, server)
    except Stopped as stop:
        return _fail(f"stopped by {stop}: the run is recorded as failed, the warehouse is as it was", 128 + stop.signum)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if server is not None:
            server.stop()


def _ingest_target(args, warehouse: Path) -> tuple[str, dict] | int:
    """The run's warehouse spec and DuckLake options, or the exit status of a bad one."""
    from warehouse.store import WarehouseUnavailable, check_writable

    from warehouse import lake

    if lake.is_lake(warehouse):
        try:
            spec, data_path = lake.resolve_options(str(warehouse), args.lake_data or settings().lake_data)
        except ValueError as exc:
            return _fail(str(exc), EXIT_USAGE)
        return spec, {"lake_data_path": data_path}
    if args.lake_data:
        return _fail("--lake-data needs a --warehouse ducklake:... (see docs/scaling.md)", EXIT_USAGE)
    try:
        check_writable(warehouse)
    except WarehouseUnavailable as exc:
        return _fail(str(exc), EXIT_USAGE)
    return str(warehouse.resolve()), {}


def _run_ingest(args, spec: str, lake_options: dict, server) -> int:
    from flows.files import InputError
    from warehouse.store import WarehouseBusy, WarehouseUnavailable

    from flows import early

    paths = [str(Path(p).resolve()) for p in args.paths]
    max_bytes = int(args.max_file_mb * 1024 * 1024)
    try:
        if server is not None:  # while the server is still starting, before Prefect's imports
            early.start(paths, max_bytes, spec, transforms_here=args.task_runner == "threads", workers=args.workers)

        from prefect.settings import temporary_settings

        from flows.ingest import ingest_articles

        flow = ingest_articles
        if args.task_runner == "dask":
            from flows.scaling import dask_task_runner

            flow = ingest_articles.with_options(task_runner=dask_task_runner(args.dask_address, args.workers))
        if server is not None:
            # Imported on first use, after the server has answered: by Prefect's engine on a
            # flow's first call (Flow.serialize_parameters), by DuckDB on the first query
            # over an Arrow table (the run's first insert). Here they load while it starts.
            import fastapi.encoders  # noqa: F401
            import pyarrow.dataset  # noqa: F401
        with contextlib.ExitStack() as stack:
            if server is not None:
                # The URL also goes through the settings context: Prefect read the
                # environment when it was imported. Heartbeats let a long-lived server mark
                # a crashed run; ours ends with the run, and joining the heartbeat thread
                # cost up to 2 s at the end. Our own server runs this very Prefect, so
                # each client's check of its version is a request for nothing. The
                # context (a copy of Prefect's settings, slow to validate) is made while
                # the server still starts.
                url = server.url
                stack.enter_context(temporary_settings(updates={
                    "api.url": url, "flows.heartbeat_frequency": None, "client.server_version_check_enabled": False,
                }))
                if server.wait_ready() != url:  # a port clash started it again on another port
                    stack.enter_context(temporary_settings(updates={"api.url": server.url}))
            freeze_and_resume()
            summary = flow(
                paths=paths,
                warehouse=spec,
                max_bytes=max_bytes,
                workers=args.workers,
                lock_wait_seconds=args.wait,
                **lake_options,
            )
    except WarehouseBusy as exc:
        return _fail(str(exc), EXIT_BUSY)
    except (InputError, WarehouseUnavailable) as exc:
        return _fail(str(exc), EXIT_USAGE)
    except Exception as exc:  # the run failed: ingest_run records it; the user gets one line
        from flows.ingest import one_line_error

        log = runtime.log_dir() / "last-failure.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        return _fail(f"run failed: {one_line_error(exc)} (traceback in {log})", EXIT_FAILED)
    finally:
        early.close()
    runtime.record_prefect_db()
    for line in summary.lines():
        print(line)
    return 0


def cmd_serve(args) -> int:
    import os

    from warehouse.store import WarehouseUnavailable, check_writable

    from flows import serving

    url = os.environ.get("PREFECT_API_URL")
    if not url:
        return _fail(
            "PREFECT_API_URL is not set: scheduled runs need a running Prefect server; start one with "
            f"`{serving.server_command('http://127.0.0.1:4200/api')}` and "
            "export PREFECT_API_URL=http://127.0.0.1:4200/api (docs/operations.md)",
            EXIT_USAGE,
        )
    if args.cron is not None:
        from prefect.client.schemas.schedules import CronSchedule

        try:
            CronSchedule(cron=args.cron)
        except ValueError:
            return _fail(f"not a valid cron expression: {args.cron!r}", EXIT_USAGE)
    elif not args.interval >= 1:
        return _fail(f"--interval must be at least 1 second, not {args.interval:g}", EXIT_USAGE)
    warehouse = args.warehouse or runtime.default_warehouse()
    missing = _missing_path(args.paths)
    if missing:
        return _fail(missing, EXIT_USAGE)
    try:
        check_writable(warehouse)
    except WarehouseUnavailable as exc:
        return _fail(str(exc), EXIT_USAGE)
    start_hint = f"start one with `{serving.server_command(url)}` (docs/operations.md)"
    problem = serving.unreachable(url)
    if problem:
        return _fail(f"no Prefect server answers at {url} ({problem}): {start_hint}", EXIT_FAILED)

    from prefect.deployments.runner import EntrypointType

    from flows.ingest import ingest_articles

    try:
        # Blocks until Ctrl-C or SIGTERM; Prefect logs each run's start and end.
        serving.serve(
            ingest_articles,
            name=args.name,
            cron=args.cron,
            interval=args.interval,
            parameters={
                "paths": [str(Path(p).resolve()) for p in args.paths],
                "warehouse": str(warehouse.resolve()),
                "max_bytes": int(args.max_file_mb * 1024 * 1024),
                "lock_wait_seconds": args.wait,
            },
            description="Scheduled Tamas ingestion (tamas serve).",
            limit=1,  # this process runs one ingestion at a time; the writer lock covers the rest
            entrypoint_type=EntrypointType.MODULE_PATH,
        )
    except KeyboardInterrupt:  # before the runner started (serving.serve handles it after)
        return 0
    except Exception as exc:  # the server went away, the deployment was refused...
        first = str(exc).splitlines()[0] if str(exc) else ""
        return _fail(f"serve failed: {type(exc).__name__}: {first} (Prefect server {url}; if it is down, {start_hint})", EXIT_FAILED)
    return 0


def cmd_sql(args) -> int:
    import duckdb

    read_only = _read_statements()
    from warehouse.store import connect_readonly

    warehouse = args.warehouse or runtime.default_warehouse()
    try:
        con = connect_readonly(warehouse)
    except (FileNotFoundError, duckdb.Error) as exc:
        return _fail(str(exc).splitlines()[0], EXIT_USAGE)
    try:
        statements = con.extract_statements(args.query)
        refused = [s.type.name for s in statements if s.type not in read_only]
        if refused or not statements:
            return _fail(
                f"tamas sql is read-only: it runs SELECT, EXPLAIN, DESCRIBE and SHOW statements, "
                f"not {', '.join(dict.fromkeys(refused)) or 'an empty query'}",
                EXIT_USAGE,
            )
        con.execute("SET TimeZone = 'Asia/Tehran'")  # ours, not the user's: TIMESTAMPTZ prints in Tehran time
        printed = 0
        for statement in statements:  # in order; each result printed before the next runs
            relation = con.sql(statement.query)
            if relation is None:
                continue
            if printed and args.format != "json":
                print()
            if args.format == "table":
                output.print_result(con, relation.columns, [], "table", args.max_rows, relation=relation)
            else:
                output.print_result(con, relation.columns, relation.fetchall(), args.format, args.max_rows)
            printed += 1
        if not printed:
            return _fail("the query returned no result set", EXIT_USAGE)
    except duckdb.Error as exc:
        return _fail(output.duckdb_message(exc), EXIT_USAGE)
    except BrokenPipeError:
        return output.reader_went_away()
    finally:
        con.close()
    return 0


def _read_statements():
    import duckdb

    # DuckDB parses DESCRIBE, SHOW, SUMMARIZE, PRAGMA <name> and FROM-first queries as
    # SELECT; COPY, ATTACH, SET, INSTALL/LOAD, CALL, EXPORT... are other types.
    return frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings()  # a variable of the wrong type is a usage error, before anything starts
    except SettingError as exc:
        return _fail(str(exc), EXIT_USAGE)
    # A long-lived serve process shows Prefect's log lines (runs scheduled, started, finished).
    runtime.configure(verbose=args.verbose or args.command == "serve")
    handlers = {"ingest": cmd_ingest, "serve": cmd_serve, "sql": cmd_sql, **analyst_cli.HANDLERS}
    return handlers[args.command](args)


def console(after=None) -> None:
    """The ``tamas`` console script: ``main``, then ``after()`` (flows/entry.py leaves a warm
    runner for the next run), then the end of the process without Python's teardown of
    its modules.

    After a run, the interpreter's own finalisation (freeing every module of Prefect,
    pydantic, polars, DuckDB one object at a time) is a noticeable share of a small run
    (docs/scaling.md, "Small runs in seconds"). Everything
    of ours is finished by then: the warehouse published and closed, the temporary server
    stopped, the output printed. So the process exits as usual (non-daemon threads
    joined, then every exit handler, Prefect's included, since this one was registered
    first and runs last), and this last handler flushes the output and logging and ends
    the process with ``os._exit``. An uncaught exception exits as usual, with its traceback.
    ``main`` alone (tests call it in-process) does none of this."""
    import atexit
    import os

    outcome: list[int] = []

    def end_now() -> None:
        if not outcome:
            return
        import logging

        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a reader that went away, a closed stream
                pass
        os._exit(outcome[0])

    atexit.register(end_now)
    outcome.append(main())
    if after is not None:
        after()
    sys.exit(outcome[0])


if __name__ == "__main__":
    sys.exit(main())
