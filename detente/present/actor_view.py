"""`detente actor ID` on a terminal: roles over time, then mentions and quotes with sources."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape


def print_actor(detail: dict, out: Console) -> None:
    out.print(f"[bold]{escape(detail['name'])}[/bold] ({escape(detail['id'])}) · {detail['kind']}"
              + (f" · {detail['country']}" if detail.get("country") else ""))
    if detail.get("aliases"):
        out.print("aliases: " + escape(", ".join(detail["aliases"])))
    out.print("\n[bold]Roles[/bold]")
    for a in detail["affiliations"] or [{"role": "none found"}]:
        org = f" of {a['organization']}" if a.get("organization") else ""
        when = _period(a.get("start"), a.get("end"))
        source = f"  [dim]{a['doc']}[/dim]" if a.get("doc") else ("  [dim]registry[/dim]" if a.get("extractor") == "registry" else "")
        out.print(f"  {escape(a['role'])}{escape(org)} {escape(when)}{source}")
    out.print(f"\n[bold]Quotes[/bold] ({len(detail['quotes'])})")
    for q in detail["quotes"]:
        out.print(f"  {q.get('date') or '?'} [dim]{escape(q.get('outlet') or '')} {q['doc']}:{q['start']}[/dim]")
        out.print(f"    {escape(q['content'])}")
    out.print(f"\n[bold]Mentions[/bold] ({len(detail['mentions'])})")
    for m in detail["mentions"]:
        out.print(f"  {escape(m['text'])}  [dim]{m.get('published') or '?'} {escape(m.get('outlet') or '')} {m['doc']}:{m['start']}[/dim]")


def _period(start: str | None, end: str | None) -> str:
    """'2013-02-01…2017-01-20', '…2013-07-11' for a role known only to have ended, '' when undated."""
    if start == end:
        return start or ""
    return f"{start or ''}…{end or ''}"
