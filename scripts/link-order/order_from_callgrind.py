"""order_from_callgrind.py CALLGRIND_OUT BINARY_SUBSTRING OUT

Writes the functions of one binary that a callgrind run executed, in the order callgrind first
lists them (roughly first-call order), one mangled name per line: the linker's
--symbol-ordering-file input (see regenerate.sh for why)."""
import re
import sys

names, objects, seen, order = {}, {}, set(), []
current = None
for line in open(sys.argv[1], errors="replace"):
    line = line.rstrip("\n")
    m = re.match(r"(c?ob)=\((\d+)\)(?: (.*))?$", line)
    if m:
        if m.group(3):
            objects[m.group(2)] = m.group(3)
        if m.group(1) == "ob":
            current = objects[m.group(2)]
        continue
    m = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?$", line)
    if m:
        if m.group(3):
            names[m.group(2)] = m.group(3)
        if m.group(1) == "fn" and current and sys.argv[2] in current:
            name = re.sub(r"'\d+$", "", names[m.group(2)])
            if not name.startswith("0x") and name not in seen:
                seen.add(name)
                order.append(name)
open(sys.argv[3], "w").write("\n".join(order) + "\n")
print(f"{len(order)} functions")
