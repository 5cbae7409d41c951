#!/usr/bin/env python3
# Where a .NET process spends its processor, from a Linux perf recording (issue 20: the silo during one operation).
#   DOTNET_PerfMapEnabled=1 <start the process>            # the runtime writes /tmp/perf-<pid>.map (JIT code's names)
#   perf record -e cpu-clock -F 999 -g -p <pid> -o op.data -- sleep 10
#   python3 bench/profiling/perf-top.py op.data /tmp/perf-<pid>.map [top] [method substring]
# With a method substring: also what that method's samples are spent in (the methods it calls directly, and the leaves).
# perf shows JIT code as « memfd:doublemapper » (the runtime's W^X double mapping) with offsets in that file, so perf
# report cannot name it: this script maps each offset back to an address through perf's MMAP2 events, then to a method
# through the perf map, and prints the methods by self and by inclusive share of the samples.
import sys, bisect, subprocess, collections, re
data, mapfile = sys.argv[1], sys.argv[2]
top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
focus = sys.argv[4] if len(sys.argv) > 4 else None
starts=[]; ends=[]; names=[]
for line in open(mapfile):
    parts=line.rstrip('\n').split(' ',2)
    if len(parts)<3: continue
    s=int(parts[0],16); n=int(parts[1],16)
    starts.append(s); ends.append(s+n); names.append(parts[2])
order=sorted(range(len(starts)), key=lambda i: starts[i])
starts=[starts[i] for i in order]; ends=[ends[i] for i in order]; names=[names[i] for i in order]
def name(addr, sym):
    i=bisect.bisect_right(starts, addr)-1
    if i>=0 and addr<ends[i]: return names[i]
    return sym
mm=subprocess.run(['perf','script','-i',data,'--show-mmap-events'],capture_output=True,text=True).stdout
maps=[]
for l in mm.split('\n'):
    m=re.search(r'\[(0x[0-9a-f]+)\((0x[0-9a-f]+)\) @ (0x[0-9a-f]+|0) .*doublemapper',l)
    if m: maps.append((int(m.group(3),16), int(m.group(2),16), int(m.group(1),16)))
def absolute(rel):
    for pg,ln,st in maps:
        if pg<=rel<pg+ln: return rel-pg+st
    return rel
out=subprocess.run(['perf','script','-i',data,'-F','ip,sym,dso'],capture_output=True,text=True).stdout
selfc=collections.Counter(); incl=collections.Counter(); total=0
callees=collections.Counter(); leaves=collections.Counter(); focused=0
stack=[]
def flush():
    global total, focused
    if not stack: return
    total+=1
    selfc[stack[0]]+=1
    for f in set(stack): incl[f]+=1
    if focus:
        at=[i for i,f in enumerate(stack) if focus in f]
        if at:
            focused+=1
            i=at[-1]
            callees[stack[i-1] if i>0 else '(self)']+=1
            leaves[stack[0]]+=1
for line in out.split('\n'):
    if not line.strip():
        flush(); stack=[]; continue
    m=re.match(r'\s*([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$', line)
    if not m: continue
    addr=int(m.group(1),16); sym=m.group(2); dso=m.group(3)
    if 'doublemapper' in dso: addr=absolute(addr)
    n=name(addr, sym if sym!='[unknown]' else dso.split('/')[-1])
    n=re.sub(r'\[(OptimizedTier1|Optimized|Tier0|Tier1|QuickJitted|PreJIT|Instrumented Tier0|Instrumented)\]','',n).strip()
    stack.append(n)
flush()
print(f"samples {total}")
print("== self")
for n,c in selfc.most_common(top): print(f"{100*c/total:5.1f}% {n[:170]}")
print("== inclusive")
for n,c in incl.most_common(top*2): print(f"{100*c/total:5.1f}% {n[:170]}")
if focus:
    print(f"== {focus}: {focused} samples ({100*focused/max(1,total):.1f}%), by the method it calls directly")
    for n,c in callees.most_common(top): print(f"{100*c/max(1,focused):5.1f}% {n[:170]}")
    print(f"== {focus}: by leaf")
    for n,c in leaves.most_common(top): print(f"{100*c/max(1,focused):5.1f}% {n[:170]}")
