"""The ``lgso`` command: parse, call the library, render, exit. No logic lives here."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

from lgso_core import audit as _audit
from lgso_core.derive import common_year, derive_template
from lgso_core.errors import LgsoError
from lgso_core.isolate import Limits
from lgso_core.models import AuditReport, Severity
from lgso_core.render import FORMATS, format_for_output, render
from lgso_core.template import save_template
from lgso_core.templatestore import TemplateStore, template_text

FAIL_ON = ("error", "warning", "info", "never")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


class _Group(click.Group):
    """Turns the library's errors into one line and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LgsoError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(EXIT_USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lgso-audit")
def cli() -> None:
    """Audit the Ombudsman's annual review letters: what is not boilerplate, and do the
    figures add up."""


class _ProgressBar:
    """A rich progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self._bar = Progress("reading letters", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                             console=Console(stderr=True), transient=True)  # fmt: skip
        self._task = self._bar.add_task("read", total=None)

    def __enter__(self):
        self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self._bar.stop()

    def __call__(self, done: int, total: int) -> None:
        self._bar.update(self._task, completed=done, total=total)


def _open_cache(no_cache: bool):
    """The extraction cache, or None; a cache that cannot be opened is a warning, not a stop."""
    from lgso_core.cache import TextCache

    if no_cache:
        return None
    try:
        return TextCache()
    except LgsoError as exc:
        click.echo(f"lgso: warning: extraction cache not used: {exc}", err=True)
        return None


def exit_status(report: AuditReport, fail_on: str) -> int:
    """0 clean, 1 a finding at or above ``fail_on``, 2 no input could be read."""
    if not report.letters and report.errors:
        return EXIT_USAGE
    worst = report.worst()
    if fail_on == "never" or worst is None:
        return EXIT_CLEAN
    return EXIT_FINDINGS if worst.rank >= Severity(fail_on).rank else EXIT_CLEAN


def _no_empty_path(ctx, param, paths):
    """An empty argument ('' from an unset shell variable) would mean the current folder."""
    if any(os.fspath(p) == "" for p in paths):
        raise click.BadParameter("an empty path names no file or folder (use '.' for this folder)")
    return paths


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), callback=_no_empty_path)
@click.option(
    "--template",
    "template",
    metavar="FILE|YEAR",
    help="Template file, or the year of a built-in one (default: chosen per year).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Report format [default: from --output's extension (.html, .md, .json, .csv, .txt), else text].",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the report here instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Parallel processes (default and most: the machine's cores).",
)
@click.option(
    "--extractor",
    type=click.Choice(("auto", "pdfium", "pdfplumber")),
    default="auto",
    show_default=True,
    help="How PDF text is read.",
)
@click.option("--no-cache", is_flag=True, help="Extract every file again; don't use or fill the cache.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=Limits().seconds,
              show_default=True, metavar="SECONDS", help="Give up on a file after this long.")  # fmt: skip
@click.option("--memory-limit", type=click.IntRange(min=1), default=Limits().memory_mb, show_default=True,
              metavar="MB", help="Give up on a file that needs more memory than this.")  # fmt: skip
def audit(paths, template, fmt, output, fail_on, jobs, extractor, no_cache, time_limit, memory_limit) -> None:
    """Audit letters (.pdf, .txt, .md, .html files or folders of them)."""
    fmt = fmt or (format_for_output(output) if output else "text")
    cache = _open_cache(no_cache)
    limits = Limits(seconds=time_limit, memory_mb=memory_limit)
    with _ProgressBar() if sys.stderr.isatty() else contextlib.nullcontext() as progress:
        report = _audit.audit_paths(
            paths, template, extractor=extractor, jobs=jobs, cache=cache, progress=progress, limits=limits
        )
    color = output is None and fmt == "text" and sys.stdout.isatty()
    text = render(report, fmt, color=color)
    for err in report.errors:
        click.echo(f"lgso: {err.source}: {err.error}", err=True)
    if cache is not None and cache.problem:
        click.echo(f"lgso: warning: extraction cache not used: {cache.problem}", err=True)
    if output:
        try:
            Path(output).write_text(text, "utf-8")
        except OSError as exc:
            raise LgsoError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        click.echo(text, nl=False)
    sys.exit(exit_status(report, fail_on))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--text", "paragraph", metavar="TEXT", help="Explain this one paragraph instead ('-': stdin).")
@click.option("--template", "template", metavar="FILE|YEAR", help="As for `lgso audit`.")
def explain(paths, paragraph, template) -> None:
    """Why each unique or changed paragraph got its tone and tags: the phrases that decided."""
    from lgso_core.judge import explain as explain_paragraph
    from lgso_core.judge import explanation_text, report_explanations

    if paragraph is not None:
        text = sys.stdin.read() if paragraph == "-" else paragraph
        click.echo(explanation_text(explain_paragraph(" ".join(text.split()))), nl=False)
        return
    if not paths:
        raise click.UsageError("give letters to explain, or --text PARAGRAPH")
    report = _audit.audit_paths(paths, template)
    for err in report.errors:
        click.echo(f"lgso: {err.source}: {err.error}", err=True)
    click.echo(report_explanations(report), nl=False)
    sys.exit(EXIT_USAGE if not report.letters and report.errors else EXIT_CLEAN)


@cli.group()
def template() -> None:
    """Build and inspect canonical templates."""


@template.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the template here.")
@click.option("--save", is_flag=True, help="Keep it beside the store: later audits of its year use it.")
@click.option("--year", type=int, help="The letters' year (default: the year they all report on).")
@click.option("--name", default=None, help="Template name (default: the year, or 'derived').")
@click.option(
    "--min-share",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.5,
    show_default=True,
    help="Share of letters a paragraph must be in.",
)
def template_build(paths, output, save, year, name, min_share) -> None:
    """Derive a template from letters by consensus: write it (-o) and/or keep it (--save)."""
    if not output and not save:
        raise click.UsageError("give --output FILE, --save, or both")
    letters, errors = _audit.load_letters(paths)
    for err in errors:
        click.echo(f"lgso: {err.source}: {err.error}", err=True)
    if not letters:
        raise LgsoError("no letter could be read; nothing to build a template from")
    year = year or (common_year(letters) if save else None)
    built = derive_template(letters, name=name or (str(year) if year else "derived"),
                            year=year, min_share=min_share)  # fmt: skip
    made = f"{len(built.paragraphs)} paragraphs from {len(letters)} letters"
    if output:
        save_template(built, output)
        click.echo(f"wrote {output}: {made}", err=True)
    if save:
        where = TemplateStore().save(built)
        click.echo(f"saved the {year} template: {where}: {made}; the store's {year} letters are "
                   "re-audited by the next `lgso ingest` or bot poll", err=True)  # fmt: skip


@template.command("list")
def template_list() -> None:
    """List the templates: built-in, saved and learned, by year."""
    for entry in TemplateStore().entries():
        click.echo(entry.line())


@template.command("show")
@click.argument("year", type=int)
def template_show(year) -> None:
    """Show the template used for YEAR, paragraph by paragraph."""
    click.echo(template_text(TemplateStore().resolve(year)), nl=False)


# --------------------------------------------------------------------------- store and Slack


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), callback=_no_empty_path)
@click.option("--alert-channel", metavar="CHANNEL", help="Slack channel for alerts (or LGSO_ALERT_CHANNEL).")
@click.option("--template", "template", metavar="FILE|YEAR", help="Judge these letters against it.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")  # fmt: skip
def ingest(paths, alert_channel, template, fail_on) -> None:
    """Audit letters into the store (LGSO_DB), queue their alerts, and post them when
    SLACK_BOT_TOKEN is set. The exit status is the audit's, as for lgso audit."""
    from bot.outbox import post_waiting
    from lgso_core.ingest import ingest_paths
    from lgso_core.store import Store

    channel = alert_channel or os.environ.get("LGSO_ALERT_CHANNEL") or None
    with Store() as store:
        with _ProgressBar() if sys.stderr.isatty() else contextlib.nullcontext() as progress:
            report, result = ingest_paths(store, paths, alert_channel=channel, template=template,
                                          progress=progress, jobs=None)  # fmt: skip
        for err in report.errors:
            click.echo(f"lgso: {err.source}: {err.error}", err=True)
        click.echo(f"{store.path}: {result.summary()}")
        for line in post_waiting(store, channel=channel).lines:
            click.echo(line, err=True)
    sys.exit(exit_status(report, fail_on))


@cli.group()
def alerts() -> None:
    """The alerts waiting to be posted to Slack."""


@alerts.command("list")
def alerts_list() -> None:
    """List the alerts not yet posted (with the channel each goes to, if set)."""
    from lgso_core.queue import waiting
    from lgso_core.store import Store

    with Store() as store:
        found = waiting(store)
    click.echo(found.summary())
    for line in found.lines():
        click.echo(f"  {line}")


@alerts.command("send")
@click.option(
    "--channel", metavar="CHANNEL", help="Channel for alerts queued without one (or LGSO_ALERT_CHANNEL)."
)
def alerts_send(channel) -> None:
    """Post the waiting alerts (SLACK_BOT_TOKEN needed); exit 1 if any still waits."""
    from bot.outbox import post_waiting
    from lgso_core.store import Store

    with Store() as store:
        out = post_waiting(store, channel=channel or os.environ.get("LGSO_ALERT_CHANNEL") or None,
                           require_token=True)  # fmt: skip
    for line in out.lines or ["nothing waits."]:
        click.echo(line)
    sys.exit(EXIT_FINDINGS if out.waiting else EXIT_CLEAN)


@cli.command()
@click.argument("query", nargs=-1, required=True)
def show(query) -> None:
    """Show an authority's stored audit as /lgso does: NAME [YEAR], outliers [YEAR], deviations [YEAR]."""
    from lgso_core.answer import NotFoundAnswer, ask, render_text
    from lgso_core.store import Store

    with Store() as store:
        answer = ask(store, " ".join(query))
    click.echo(render_text(answer), nl=False)
    sys.exit(EXIT_FINDINGS if isinstance(answer, NotFoundAnswer) else EXIT_CLEAN)


@cli.command("bot")
@click.option("--port", type=click.IntRange(0, 65535), default=3000, show_default=True,
              help="HTTP port for Slack's requests (at /slack/events); unused in Socket Mode.")  # fmt: skip
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 to accept requests from other machines.")  # fmt: skip
@click.option("--watch", type=click.Path(exists=True, file_okay=False),
              help="Folder to poll for new letters: ingested, and alerted on.")  # fmt: skip
@click.option("--interval", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds between polls of --watch and retries of pending alerts.")  # fmt: skip
@click.option("--alert-channel", metavar="CHANNEL", help="Channel for alerts (default: LGSO_ALERT_CHANNEL).")
@click.option("--template", "template", metavar="FILE|YEAR", help="Judge watched letters against it.")
def bot_command(port, host, watch, interval, alert_channel, template) -> None:
    """Run the Slack bot: /lgso answers, and alerts for new letters (see README)."""
    from bot.server import serve
    from bot.settings import Settings
    from lgso_core.choice import template_from_spec

    if template:
        template_from_spec(template)  # a bad --template stops here, in one line
    serve(Settings.from_env(), host=host, port=port, watch=watch, interval=interval, template=template,
          alert_channel=alert_channel, say=lambda line: click.echo(line, err=True))  # fmt: skip


def main() -> None:
    """Entry point: a bug is reported in one line, never as a traceback."""
    try:
        cli.main(prog_name="lgso")
    except Exception as exc:
        if os.environ.get("LGSO_DEBUG"):
            raise
        click.echo(f"lgso: internal error ({type(exc).__name__}: {exc}); this is a bug, "
                   "please report it (set LGSO_DEBUG=1 for details)", err=True)  # fmt: skip
        sys.exit(EXIT_BUG)
