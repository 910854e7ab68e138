#!/usr/bin/env python3
"""Lists references between Roster's library modules and, inside RosterCore, between its folders: which module
(or folder) uses a type (or an extension member) that another defines. docs/architecture.md keeps the output as the
map.

Usage: tools/folder-deps.py [Sources] [--detail] [--modules]

The compiler now enforces the module graph (a module can only name what its target depends on); this script
still shows the seam the compiler cannot yet see, between the store and the import pipelines, which share
RosterCore. With --modules it groups by module (RosterCore split into its planned store and import halves) and
marks a pair that runs both ways CYCLE.
"""
import os
import re
import sys
from collections import defaultdict

root = next((a for a in sys.argv[1:] if not a.startswith("--")), "Sources")
detail = "--detail" in sys.argv
by_module = "--modules" in sys.argv

# The library modules; RosterTUI, RosterServer and the executable are left out (they use, nothing uses them).
LIBRARIES = {"RosterConcurrency": "concurrency", "RosterCSV": "csv", "RosterModel": "model", "RosterCore": "core",
             "RosterDemo": "demo"}
# RosterCore's folders: the store, and the import pipelines that may become their own module.
CORE = {"Import": "import"}


DECL = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate|final|indirect|nonisolated)\s+)*"
    r"(?:struct|class|enum|protocol|actor|typealias)\s+([A-Z]\w*)"
)
EXT = re.compile(r"^(?:(?:public|package|internal)\s+)?extension\s+([A-Z]\w*)")
MEMBER = re.compile(
    r"^    (?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|static|mutating|nonisolated|@discardableResult)\s+)*"
    r"(?:func|var|let)\s+([a-z]\w*)"
)


def folder_of(path):
    parts = os.path.relpath(path, root).split(os.sep)
    module = LIBRARIES[parts[0]]
    folder = parts[1] if len(parts) > 2 else "(root)"
    if not by_module:
        return f"{module}/{folder}" if module in ("model", "core") else module
    if module == "core":
        return CORE.get(folder, "store")
    return module


def strip(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r'"""(.*?)"""', '""', text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    return text


files = []
for library in LIBRARIES:
    for dirpath, _, names in os.walk(os.path.join(root, library)):
        files.extend(os.path.join(dirpath, name) for name in names if name.endswith(".swift"))
files.sort()

sources = {f: strip(open(f, encoding="utf-8").read()) for f in files}
types = {}  # name -> folder
for f, text in sources.items():
    for line in text.splitlines():
        m = DECL.match(line)
        if m:
            types.setdefault(m.group(1), folder_of(f))

# Members that a folder adds to a type defined in another folder (Store+X.swift in Import/).
members = defaultdict(set)  # name -> folders
for f, text in sources.items():
    extended = None
    for line in text.splitlines():
        m = EXT.match(line)
        if m:
            extended = m.group(1)
            continue
        if line.startswith("}"):
            extended = None
            continue
        if extended and types.get(extended) not in (None, folder_of(f)):
            m = MEMBER.match(line)
            if m:
                members[m.group(1)].add(folder_of(f))
# A member name declared more than once anywhere (e.g. `set`, `scan`) can't be told apart by name.
declared = defaultdict(int)
ANY_MEMBER = re.compile(r"^\s+(?:[@\w()]+\s+)*(?:func|var|let|case)\s+([a-z]\w*)")
for text in sources.values():
    for line in text.splitlines():
        m = ANY_MEMBER.match(line)
        if m:
            declared[m.group(1)] += 1
ambiguous = {n for n, fs in members.items() if len(fs) > 1 or declared[n] > 1}

edges = defaultdict(lambda: defaultdict(set))  # user -> definer -> names
for f, text in sources.items():
    user = folder_of(f)
    words = set(re.findall(r"\b[A-Z]\w*\b", text))
    for w in words:
        definer = types.get(w)
        if definer and definer != user:
            edges[user][definer].add(w)
    calls = set(re.findall(r"\.([a-z]\w*)\b", text)) | set(re.findall(r"\b([a-z]\w*)\(", text))
    for c in calls:
        if c in members and c not in ambiguous:
            (definer,) = members[c]
            if definer != user:
                edges[user][definer].add("." + c)

folders = sorted({folder_of(f) for f in files})
print("user -> definer (names)")
for user in folders:
    for definer in sorted(edges[user]):
        names = sorted(edges[user][definer])
        shown = ", ".join(names if detail else names[:6]) + ("" if detail or len(names) <= 6 else f", … ({len(names)})")
        back = " <-> CYCLE" if user in edges[definer] else ""
        print(f"{user} -> {definer}{back}: {shown}")
