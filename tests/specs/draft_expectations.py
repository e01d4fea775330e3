#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Drafts tests/specs/expected/<name>.expect from a `vpcprove check --format json` run.

A drafting aid, not an oracle: each reason is read off the answer (the rule that admits the
witness, where the proof stops, or why a side is empty). Review every line against the snapshot
(the corpus's EXPECTED.md, the JSON) before committing it.

  vpcprove check SNAP --spec specs/a.yaml ... --format json | draft_expectations.py '@CORPUS@/…'
"""
import json
import sys


def admitted_by(result):
    path = result.get("path") or []
    gates = [h for h in path if h["step"] in ("sg-ingress", "nacl-ingress", "route", "nat", "igw-egress")]
    sg = [h["by"] for h in gates if h["step"] == "sg-ingress"]
    if sg:
        return "admitted by " + sg[0]
    if gates:
        return "via " + "; ".join(h["by"] for h in gates[:2])
    return "delivered"


def reason(r):
    text = base_reason(r)
    assumed = [a["id"] + " (" + a["kind"] + ")" for a in r.get("assumptions", [])]
    if r.get("if_assumed"):
        text += "; " + r["if_assumed"] + " only under assumptions"
    return text + ("; assuming " + ", ".join(assumed) if assumed else "")


def base_reason(r):
    if r["verdict"] == "violated":
        if r["findings"]:
            pairs = ", ".join(f'{f["from_member"]} -> {f["to_member"]}' for f in r["findings"][:4])
            more = f' (+{len(r["findings"]) - 4} more)' if len(r["findings"]) > 4 else ""
            return f'{len(r["findings"])} finding(s): {pairs}{more}'
        if r.get("reach_verdict") == "reachable":
            p = r["packet"]
            return (f'{r["from_member"]} -> {r["to_member"]} {p["protocol"]} dst-port {p["dst_port"]} '
                    f'is {r["disposition"]}, {admitted_by(r)}')
        return f'{r["from_member"]} -> {r["to_member"]} has no working connection'
    if r["vacuous"]:
        return r["notes"][0].replace("(after exemptions): holds vacuously", "so it holds vacuously")
    reasons = r.get("reason") or []
    if isinstance(reasons, list) and reasons:
        codes = []
        for x in reasons:
            c = f'{x["code"]} at {x["at"]}'
            if c not in codes:
                codes.append(c)
        more = f" (+{len(codes) - 3} more)" if len(codes) > 3 else ""
        return "every way stops: " + "; ".join(codes[:3]) + more
    if r["findings"] == [] and r["control"].startswith("AWS Network Access Analyzer"):
        return "no (source, destination) pair of the scope passes"
    return "no way leads there"


def main():
    snapshot = sys.argv[1]
    data = json.load(sys.stdin)
    print(f"# SNAPSHOT: {snapshot}")
    print("# The specs/ library (and specs/naa scopes) on this snapshot, pinned; each line says why.")
    for r in data["results"]:
        print(f'EXPECT: {r["name"]}: {r["verdict"]}  # {reason(r)}')


if __name__ == "__main__":
    main()
