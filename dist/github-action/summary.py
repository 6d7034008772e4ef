#!/usr/bin/env python3
"""summary.py REPORT.json [EXIT_STATUS]: k8scheck's JSON report (docs/json.md)
as a Markdown job summary for GitHub Actions ($GITHUB_STEP_SUMMARY): counts
per severity and per rule, the first findings with links to their lines,
and the input errors. Reads only the fields of schema version 1."""
import json
import os
import sys

SEVERITIES = ("error", "warning", "info")
TOP = 20


def cell(text):
    """Text for a Markdown table cell: one line, no table or HTML syntax."""
    text = " ".join(str(text).split())
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|")):
        text = text.replace(a, b)
    return text


def plural(n, word):
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


def link(path, line):
    """A link to the line on GitHub when the run's repository is known."""
    server = os.environ.get("GITHUB_SERVER_URL")
    repo = os.environ.get("GITHUB_REPOSITORY")
    sha = os.environ.get("GITHUB_SHA")
    label = "%s:%d" % (path, line)
    if not (server and repo and sha) or path.startswith(("/", "<", "../")):
        return "`%s`" % cell(label)
    rel = path[2:] if path.startswith("./") else path
    return "[`%s`](%s/%s/blob/%s/%s#L%d)" % (cell(label), server, repo, sha, rel, line)


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: summary.py REPORT.json [EXIT_STATUS]\n")
        return 3
    with open(argv[1], encoding="utf-8") as f:
        report = json.load(f)
    if report.get("version") != 1:
        sys.stderr.write("summary.py: JSON report version %r, not 1\n" % report.get("version"))
        return 3
    status = int(argv[2]) if len(argv) == 3 else None
    s = report["summary"]
    counts = s["findings"]
    total = sum(counts.get(k, 0) for k in SEVERITIES)
    findings = [f for f in report["findings"] if not f.get("suppressed")]
    out = []
    w = out.append

    if total:
        parts = ", ".join(plural(counts[k], k) for k in SEVERITIES if counts.get(k))
        w("## k8scheck: %s (%s)" % (plural(total, "finding"), parts))
    else:
        w("## k8scheck: no findings")
    w("")
    line = "Checked %s in %s, %s" % (plural(s["workloads"], "workload"),
                                     plural(s["documents"], "document"),
                                     plural(s["files"], "file"))
    extra = []
    if s.get("inputErrors"):
        extra.append(plural(s["inputErrors"], "input error"))
    if s.get("suppressed"):
        extra.append("%d suppressed" % s["suppressed"])
    if s.get("baselined"):
        extra.append("%d in the baseline" % s["baselined"])
    if extra:
        line += "; " + ", ".join(extra)
    if status is not None:
        line += "; exit status %d" % status
    w(line + ".")
    w("")

    if total:
        w("| severity | findings |")
        w("|----------|---------:|")
        for k in SEVERITIES:
            if counts.get(k):
                w("| %s | %d |" % (k, counts[k]))
        w("")
        rules = {}
        for f in findings:
            r = rules.setdefault(f["rule"], {"severity": f["severity"], "count": 0})
            r["count"] += 1
        w("### Findings per rule")
        w("")
        w("| rule | severity | findings |")
        w("|------|----------|---------:|")
        order = sorted(rules.items(), key=lambda kv: (SEVERITIES.index(kv[1]["severity"]),
                                                      -kv[1]["count"], kv[0]))
        for rule, r in order:
            w("| `%s` | %s | %d |" % (cell(rule), r["severity"], r["count"]))
        w("")
        top = sorted(findings, key=lambda f: SEVERITIES.index(f["severity"]))[:TOP]
        w("### %s" % ("Findings" if len(findings) <= TOP else "First %d findings" % TOP))
        w("")
        w("| severity | where | rule | message |")
        w("|----------|-------|------|---------|")
        for f in top:
            where = link(f["file"], f["line"])
            res = f.get("resource") or {}
            if res.get("kind"):
                where += " %s/%s" % (cell(res["kind"]), cell(res.get("name") or ""))
            w("| %s | %s | `%s` | %s |" % (f["severity"], where, cell(f["rule"]),
                                          cell(f["message"])))
        w("")
        w("`k8scheck explain RULE` says what a rule checks and how to fix it.")
        w("")

    diags = report.get("diagnostics", [])
    if diags:
        w("### Input errors and warnings")
        w("")
        for d in diags:
            where = ""
            if d.get("file") is not None:
                where = "`%s:%s:%s` " % (cell(d["file"]), d.get("line"), d.get("column"))
            w("- %s%s: %s" % (where, d["level"], cell(d["message"])))
        w("")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
