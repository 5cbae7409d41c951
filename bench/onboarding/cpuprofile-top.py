"""Top functions (self and inclusive sample shares) of V8 .cpuprofile files, summed: what Azurite spent its time on."""
import collections, json, sys

self_time, inclusive, total = collections.Counter(), collections.Counter(), 0


def name(node):
    frame = node["callFrame"]
    return f"{frame['functionName'] or '(anonymous)'} {frame['url'].split('/')[-1]}:{frame['lineNumber']}"


for file in sys.argv[1:]:
    profile = json.load(open(file))
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {child: n["id"] for n in profile["nodes"] for child in n.get("children", [])}
    for node in profile["nodes"]:
        hits = node.get("hitCount", 0)
        if not hits:
            continue
        total += hits
        self_time[name(node)] += hits
        seen, current = set(), node["id"]
        while current is not None:
            label = name(nodes[current])
            if label not in seen:
                inclusive[label] += hits
                seen.add(label)
            current = parent.get(current)

print(f"{total} samples")
print("self:")
for label, hits in self_time.most_common(20):
    print(f"{100 * hits / total:5.1f} % {label}")
print("inclusive:")
for label, hits in inclusive.most_common(40):
    print(f"{100 * hits / total:5.1f} % {label}")
