#!/usr/bin/env python3
"""CPU seconds of a build by kind of process (test JVM, app processes, MariaDB, Maven, chromium, node, apt).

  python3 src/build/perf/cpu-by-process.py sample OUT.json PID   # every second until PID exits: its descendants' CPU
  python3 src/build/perf/cpu-by-process.py report OUT.json       # totals per kind, then each app process

Start the sampler beside the build, with Maven's java process id, e.g.:
  ./mvnw -B -ntp verify & sleep 1; python3 src/build/perf/cpu-by-process.py sample cpu.json \
      "$(pgrep -f "plexus-classworlds.*multiModuleProjectDirectory=$PWD" | head -1)"
A process's CPU is the last utime + stime read before it ended (at most a second's work is lost per process).
"""
import json
import os
import re
import sys
import time


def descendants(root):
    children = {}
    for pid in os.listdir('/proc'):
        if pid.isdigit():
            try:
                stat = open(f'/proc/{pid}/stat').read()
                children.setdefault(int(stat[stat.rindex(')') + 2:].split()[1]), []).append(int(pid))
            except OSError:
                pass
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def sample(out, root):
    tick = os.sysconf('SC_CLK_TCK')
    seen = {}
    while os.path.exists(f'/proc/{root}'):
        for pid in descendants(root):
            try:
                stat = open(f'/proc/{pid}/stat').read()
                fields = stat[stat.rindex(')') + 2:].split()
                cpu = (int(fields[11]) + int(fields[12])) / tick
                key = str(pid)
                # a child JVM shows as jspawnhelper until it has exec'd java
                if key not in seen or 'jspawnhelper' in seen[key][0]:
                    args = open(f'/proc/{pid}/cmdline').read().split('\0')
                    # without the class path, which is most of a JVM's command line
                    command = ' '.join(a for i, a in enumerate(args) if i == 0 or args[i - 1] not in ('-cp', '-classpath'))
                    seen[key] = [command[:3000], cpu, seen[key][2] if key in seen else time.time()]
                seen[key][1] = max(seen[key][1], cpu)
            except OSError:
                pass
        time.sleep(1)
    json.dump(seen, open(out, 'w'))


def kind(command):
    # -Xmx640m: AppProcess's options, for samples that kept the class path and lost the main class behind it
    if 'OvertureApplication' in command or '-Xmx640m' in command:
        return 'app processes'
    for marker, name in (('surefirebooter', 'test JVM'), ('mariadb', 'MariaDB'), ('mysql', 'MariaDB'),
                         ('plexus-classworlds', 'Maven'), ('chrom', 'chromium'), ('node', 'node'), ('npm', 'node'),
                         ('apt', 'apt'), ('dpkg', 'apt')):
        if marker in command:
            return name
    return 'other'


def report(out):
    seen = {pid: value[:3] for pid, value in json.load(open(out)).items()}
    totals = {}
    for command, cpu, _ in seen.values():
        entry = totals.setdefault(kind(command), [0.0, 0])
        entry[0] += cpu
        entry[1] += 1
    for name, (cpu, count) in sorted(totals.items(), key=lambda item: -item[1][0]):
        print(f'{cpu:7.1f} s  {count:3d} processes  {name}')
    print(f'{sum(cpu for cpu, _ in totals.values()):7.1f} s  all')
    for command, cpu, started in sorted(seen.values(), key=lambda value: value[2]):
        if kind(command) == 'app processes':
            name = re.search(r'app-processes/(\S+)-outbox', command)
            cds = 'maps the archive' if 'SharedArchiveFile' in command else (
                'writes the archive' if 'ArchiveClassesAtExit' in command else '')
            print(f'  {cpu:6.1f} s  {name.group(1) if name else "?"}  {cds}')


if __name__ == '__main__':
    if sys.argv[1] == 'sample':
        sample(sys.argv[2], int(sys.argv[3]))
    else:
        report(sys.argv[2])
