"""``ckan smartcity privacy-scan FILE`` — a department checks a table before sending it.

Defined here, inside the CKAN-free privacy package, so that it also runs without CKAN as
``python -m ckanext.smartcity.privacy``; ``ckanext.smartcity.cli.privacy`` re-exports it for
the ``smartcity`` command group. It needs no CKAN config or database.
Exit status: 0 nothing blocks, 1 a blocking finding, 2 the file or options cannot be used.
With ``--generalise`` a microdata table that fails k-anonymity is written generalised
(:mod:`.generalise`) and the written file is scanned again: the exit status is that scan's.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ckanext.smartcity.reference.domains import DATASET_TYPES
from ckanext.smartcity.readers.published_csv import save_csv

from .files import XLSX_SUFFIXES, TableFile, TableFileError, open_table, sheet_names
from .generalise import plan_generalisation
from .guard import Guard
from .policy import Policy, PrivacyError
from .record import PrivacyReport
from .report import Report
from .resolve import header_columns, resolve, resolve_policy

__all__ = ["privacy_scan", "EXIT_OK", "EXIT_BLOCKED", "EXIT_ERROR"]

EXIT_OK, EXIT_BLOCKED, EXIT_ERROR = 0, 1, 2


def _scan(table: TableFile, policy: Policy) -> Report:
    guard = Guard(table.columns, policy)
    for batch in table.batches():
        guard.scan(batch)
    return guard.finish()


def _write_clean(table: TableFile, report: Report, output: Path) -> None:
    # the portal's one CSV writer (UTF-8 with BOM, so that Excel shows Vietnamese)
    rows = (report.apply(index, row) for index, row in
            enumerate(r for batch in table.batches() for r in batch))
    save_csv(output, [str(c) for c in table.columns], rows)


def _table(report: PrivacyReport) -> str:
    head = ("Cột / Column", "Bộ dò / Detector", "Tỉ lệ / Share", "Xử lý / Action")
    rows = [
        (f.column, f.detector, "-" if f.share is None else f"{f.share:.1%}", f.action)
        for f in report.findings
    ]
    if not rows:
        return "Không có phát hiện nào / No findings."
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(4)]
    line = "  ".join("{:<%d}" % w for w in widths)
    out = [line.format(*head), line.format(*("-" * w for w in widths))]
    out += [line.format(*r) for r in rows]
    return "\n".join(out)


def _fail(message: str) -> None:
    click.echo(f"Lỗi / Error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@click.command("privacy-scan")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dataset-type", type=click.Choice(DATASET_TYPES), default=None,
              help="Loại dữ liệu (quyết định k mặc định) / dataset type (sets the default k)")
@click.option("--count-column", "count_columns", multiple=True,
              help="Cột đếm cần ẩn ô nhỏ (tiêu đề, mã cột hoặc nhãn) / count column to "
                   "suppress small cells in (header, column id or label)")
@click.option("--group-by", "group_by", multiple=True,
              help="Cột chia nhóm cho ẩn bổ sung / column defining the groups of "
                   "complementary suppression")
@click.option("--min-cell-size", type=int, default=None,
              help="k; chỉ có thể tăng so với mặc định / k; can only raise the default")
@click.option("--allow-column", "allow_columns", multiple=True,
              help="Cột công khai có chủ đích / column public on purpose")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Ghi bản đã ẩn ô nhỏ (CSV) / write the suppressed copy (CSV)")
@click.option("--quasi-identifier", "quasi_identifiers", multiple=True,
              help="Cột gián tiếp định danh của dữ liệu vi mô (mặc định: tự nhận) / "
                   "quasi-identifier column of microdata (default: found from the table)")
@click.option("--generalise", is_flag=True,
              help="Gộp nhóm dữ liệu vi mô đến khi đạt k (tuổi theo khoảng, ngày sinh thành "
                   "năm, xã thành quận/huyện, bỏ cột) và ghi tệp an toàn (--output, mặc định "
                   "TỆP-generalised.csv) / generalise microdata until k holds and write the "
                   "safe file")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON / print JSON")
@click.option("--sheet", default=None,
              help="Trang tính cần kiểm tra (mặc định: mọi trang) / worksheet to check "
                   "(default: every sheet)")
@click.option("--encoding", default=None,
              help="Bảng mã của CSV (utf-8, utf-8-sig, utf-16, cp1258) / CSV text encoding")
def privacy_scan(file: Path, dataset_type: str | None, count_columns: tuple[str, ...],
                 group_by: tuple[str, ...], min_cell_size: int | None,
                 allow_columns: tuple[str, ...], quasi_identifiers: tuple[str, ...],
                 generalise: bool, output: Path | None, as_json: bool,
                 sheet: str | None, encoding: str | None) -> None:
    """Kiểm tra dữ liệu cá nhân và ẩn ô nhỏ trong FILE (CSV/XLSX).
    Check FILE (CSV/XLSX) for personal data and suppress small counts."""
    spec = {
        "count_columns": list(count_columns), "group_by": list(group_by),
        "allow_columns": list(allow_columns), "min_cell_size": min_cell_size,
        "quasi_identifiers": list(quasi_identifiers),
    }
    others: list[tuple[str, Report]] = []
    try:
        policy = Policy.from_spec(spec, dataset_type=dataset_type)
        sheets: list[str] = []
        if sheet is None and file.suffix.lower() in XLSX_SUFFIXES and file.is_file():
            # like the portal's gate: every non-empty sheet of a workbook is checked
            sheets = sheet_names(file)
        table = open_table(file, encoding, sheet or (sheets[0] if sheets else None))
        # options name columns by header, generated id or label; one that matches nothing
        # is an error (resolve.py)
        report = _scan(table, resolve_policy(policy, header_columns(table.columns)))
        for name in sheets[1:]:
            other = open_table(file, sheet=name)
            # allow-columns carry over to the other sheets that have them
            allowed = resolve(allow_columns, header_columns(other.columns), "allow_columns",
                              strict=False)
            others.append((name, _scan(other, Policy.from_spec(
                {"allow_columns": list(allowed)}, dataset_type=dataset_type))))
    except (PrivacyError, TableFileError) as exc:
        _fail(str(exc))
        return
    except OSError as exc:
        _fail(f"{file.name}: {exc.strerror or type(exc).__name__}")
        return
    if generalise:
        _generalise(file, table, report, policy, output, as_json)
        return
    written = False
    if output is not None and not report.blocking:
        try:
            _write_clean(table, report, output)
            written = True
        except (PrivacyError, TableFileError) as exc:
            _fail(str(exc))
        except OSError as exc:
            _fail(f"{output.name}: {exc.strerror or type(exc).__name__}")
    record = report.record()
    if as_json:
        click.echo(json.dumps({
            "file": file.name, "encoding": table.encoding, "delimiter": table.delimiter,
            "output": str(output) if written else None,
            "report": record.to_dict(),
            "summary": {"vi": record.summary("vi"), "en": record.summary("en")},
        }, ensure_ascii=False, indent=2))
    else:
        click.echo(_table(record))
        click.echo("")
        click.echo(record.summary("vi"))
        click.echo(record.summary("en"))
        if written:
            click.echo(f"Đã ghi / written: {output}")
        elif output is not None:
            click.echo("Không ghi tệp vì bảng bị chặn / no file written: the table is blocked")
    blocked = bool(report.blocking) or any(r.blocking for _, r in others)
    for name, other in others:
        if as_json:
            click.echo(json.dumps({"file": file.name, "sheet": name,
                                   "report": other.record().to_dict()},
                                  ensure_ascii=False, indent=2))
        else:
            click.echo(f"\n== Trang tính / sheet: {name}")
            click.echo(_table(other.record()))
            click.echo(other.summary("vi"))
            click.echo(other.summary("en"))
    sys.exit(EXIT_BLOCKED if blocked else EXIT_OK)


def _generalise(file: Path, table: TableFile, report: Report, policy: Policy,
                output: Path | None, as_json: bool) -> None:
    """``--generalise``: write the k-anonymous copy of a microdata table, scan it again."""
    other = [f for f in report.blocking if not f.detector.startswith("microdata:")]
    if other:
        click.echo(_table(report.record()))
        click.echo("Không gộp nhóm được: bảng có dữ liệu cá nhân khác, hãy bỏ các cột này "
                   "trước / cannot generalise: the table holds other personal data, remove "
                   "these columns first", err=True)
        sys.exit(EXIT_BLOCKED)
    target = output or file.with_name(f"{file.stem}-generalised.csv")
    microdata = report.microdata
    try:
        if microdata is not None and microdata.checked:
            plan = plan_generalisation(table.columns, (r for b in table.batches() for r in b),
                                       policy.min_cell_size, microdata.quasi_identifiers)
            header, changes = plan.header, plan.changes
            rows = (plan.apply(r) for b in table.batches() for r in b)
            kept = [plan.rename.get(i, table.columns[i]) for i in plan.quasi_identifiers
                    if i not in plan.dropped]
        else:
            header, changes, kept = list(table.columns), [], []
            rows = (report.apply(n, r) for n, r in enumerate(
                r for b in table.batches() for r in b))
        save_csv(target, [str(c) for c in header], rows)
        again = _scan(open_table(target), Policy.from_spec(
            {"count_columns": list(policy.count_columns), "group_by": list(policy.group_by),
             "allow_columns": [c for c in policy.allow_columns if c in header],
             "min_cell_size": policy.min_cell_size,
             "quasi_identifiers": kept if policy.quasi_identifiers else []},
            dataset_type=policy.dataset_type))
    except (PrivacyError, TableFileError) as exc:
        _fail(str(exc))
        return
    except OSError as exc:
        _fail(f"{target.name}: {exc.strerror or type(exc).__name__}")
        return
    record = again.record()
    if as_json:
        click.echo(json.dumps({
            "file": file.name, "output": str(target),
            "changes": [{"vi": vi, "en": en} for vi, en in changes],
            "before": report.record().to_dict(), "report": record.to_dict(),
            "summary": {"vi": record.summary("vi"), "en": record.summary("en")},
        }, ensure_ascii=False, indent=2))
    else:
        click.echo("Đã gộp nhóm / generalised:" if changes else
                   "Không cần gộp nhóm / nothing to generalise.")
        for vi, en in changes:
            click.echo(f"  - {vi} / {en}")
        click.echo(f"Đã ghi / written: {target}")
        click.echo(_table(record))
        click.echo(record.summary("vi"))
        click.echo(record.summary("en"))
    sys.exit(EXIT_BLOCKED if again.blocking else EXIT_OK)
