"""``ckan smartcity quality-report``, ``ckan smartcity quality-refresh`` and
``ckan smartcity links check``."""
from __future__ import annotations

import json

import click


@click.command("quality-report",
               short_help="Quality scores per department / Điểm chất lượng theo đơn vị")
@click.option("--department", "department", default=None,
              help="one department (name or id); default: every department")
@click.option("--json", "as_json", is_flag=True, help="print the action's JSON")
def quality_report(department: str | None, as_json: bool) -> None:
    """Print the MQA-style score table (out of 405) per department, as Markdown."""
    import ckan.plugins.toolkit as tk

    context = {"ignore_auth": True}
    if department:
        names = [department]
    else:
        names = tk.get_action("organization_list")(context, {})
    reports = [tk.get_action("smartcity_quality_report")(dict(context), {"id": name})
               for name in names]
    city = tk.get_action("smartcity_quality_report")(dict(context), {})
    if as_json:
        click.echo(json.dumps({"departments": reports, "city": city}, ensure_ascii=False,
                              indent=2))
        return
    dims = list(city["by_dimension"])
    click.echo("| department | datasets | average /405 | " + " | ".join(dims)
               + " | excellent | good | sufficient | bad |")
    click.echo("|---" * (len(dims) + 7) + "|")
    for report in reports + [city]:
        dept = report["department"]
        title = dept["title"] if dept else "**Toàn thành phố / whole city**"
        if dept and not report["count"]:
            continue
        cells = [title, str(report["count"]),
                 "—" if report["average"] is None else f"{report['average']:.1f}"]
        cells += ["—" if report["by_dimension"][d] is None else f"{report['by_dimension'][d]:.1f}"
                  for d in dims]
        cells += [str(report["ratings"].get(r, 0))
                  for r in ("excellent", "good", "sufficient", "bad")]
        click.echo("| " + " | ".join(cells) + " |")


@click.command("quality-refresh", short_help="Recompute every dataset's quality score")
def quality_refresh() -> None:
    """Score every dataset again (e.g. after an upgrade) and re-index it."""
    import ckan.model as model
    from ckan.lib.search import rebuild

    from ckanext.smartcity import quality
    from ckanext.smartcity.quality.reachability import datasets_to_check

    ids = datasets_to_check()
    for package_id in ids:
        quality.refresh(package_id)
        model.Session.commit()
        rebuild(package_id)
    click.echo(f"scored {len(ids)} datasets")


@click.group("links", short_help="Reachability of distribution URLs / Kiểm tra liên kết")
def links() -> None:
    """Link checks feeding the accessibility points of the quality score."""


@links.command("check")
@click.option("--now", "now", is_flag=True,
              help="check in this process instead of queueing jobs for the worker")
@click.argument("datasets", nargs=-1)
def links_check(now: bool, datasets: tuple[str, ...]) -> None:
    """Queue (or run with --now) a link check of each dataset (default: all)."""
    import ckan.plugins.toolkit as tk

    from ckanext.smartcity.quality import reachability

    if not datasets and not now:
        click.echo(f"queued {reachability.enqueue_all()} link-check jobs")
        return
    ids = list(datasets) or reachability.datasets_to_check()
    for package_id in ids:
        if now:
            checks = reachability.check_dataset(package_id)
            failing = sum(1 for c in checks.values() if not c["ok"])
            click.echo(f"{package_id}: {len(checks)} URLs, {failing} failing")
        else:
            tk.enqueue_job(reachability.check_dataset, [package_id],
                           title=f"smartcity link check {package_id}")
    if not now:
        click.echo(f"queued {len(ids)} link-check jobs")
