#!/usr/bin/env python3
"""CPU per thread of a benchmark's test JVM and its embedded MariaDB, read from /proc (no profiler).

  threadcpu.py sample FILE            every 5 s until the test JVM exits: CPU ticks of each JVM thread, of the
                                      embedded mariadbd (the one not on port 3306) and a few of its status counters
  threadcpu.py report FILE HH:MM:SS [SECONDS=50] [RATE=200]
                                      CPU per thread group and per event over SECONDS from HH:MM:SS (UTC, today),
                                      e.g. 5 s after the start of the window the event benchmark reports

Start `sample` before the benchmark (docs/performance.md, "Events").
"""
import collections
import datetime
import glob
import os
import re
import subprocess
import sys
import time

COUNTERS = {'Questions', 'Com_select', 'Com_insert', 'Com_update', 'Com_commit', 'Com_set_option',
            'Com_stmt_prepare', 'Com_stmt_execute', 'Rows_read', 'Innodb_buffer_pool_reads'}


def find():
    jvm = db = None
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            cmd = open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\0')
        except OSError:
            continue
        if cmd[0].endswith(b'java') and any(b'surefirebooter' in c for c in cmd):
            jvm = pid
        ports = [c[7:].decode() for c in cmd if c.startswith(b'--port=')]
        if cmd[0].endswith(b'mariadbd') and ports and ports[0] != '3306':
            db = (pid, ports[0])
    return jvm, db


def ticks(stat_path):
    fields = open(stat_path).read().rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def sample(path):
    jvm = db = None
    while not (jvm and db):
        jvm, db = find()
        time.sleep(1)
    with open(path, 'w') as out:
        while os.path.exists(f'/proc/{jvm}'):
            now = int(time.time())
            for group, pid in (('', jvm), ('db:', db[0])):
                for task in glob.glob(f'/proc/{pid}/task/*'):
                    try:
                        name = group + open(task + '/comm').read().strip()
                        out.write(f'{now}|{name}|{task.rsplit("/", 1)[1]}|{ticks(task + "/stat")}\n')
                    except OSError:
                        pass
            status = subprocess.run(['mariadb', '-h127.0.0.1', f'-P{db[1]}', '-uroot', '-N', '-e', 'SHOW GLOBAL STATUS'],
                                    capture_output=True, text=True).stdout
            for line in status.splitlines():
                key, _, value = line.partition('\t')
                if key in COUNTERS:
                    out.write(f'{now}|stat:{key}|0|{value}\n')
            out.flush()
            time.sleep(5)


def report(path, start, seconds=50, rate=200):
    h, m, s = map(int, start.split(':'))
    t0 = int(datetime.datetime.now(datetime.timezone.utc).replace(hour=h, minute=m, second=s, microsecond=0).timestamp())
    first, last = {}, {}
    for line in open(path):
        ts, name, tid, value = line.strip().split('|')
        if t0 <= int(ts) <= t0 + seconds:
            first.setdefault((name, tid), (int(ts), int(value)))
            last[(name, tid)] = (int(ts), int(value))
    span = max(last[k][0] - first[k][0] for k in last)
    cpu = collections.Counter()
    for (name, tid), (_, value) in last.items():
        delta = value - first[(name, tid)][1]
        if name.startswith('stat:'):
            print(f'{name[5:]:>26}: {delta / span / rate:8.2f} per event')
        else:
            cpu['mariadbd' if name.startswith('db:') else re.sub(r'[-#]?\d+$', '', name)] += delta / 100
    total = sum(cpu.values())
    print(f'{span} s: {total / span:.2f} cores, {1000 * total / span / rate:.2f} ms of CPU per event at {rate}/s')
    for group, secs in cpu.most_common(10):
        print(f'  {secs / span:5.2f} cores {1000 * secs / span / rate:6.2f} ms/event  {group}')


if __name__ == '__main__':
    if len(sys.argv) >= 3 and sys.argv[1] == 'sample':
        sample(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == 'report':
        report(sys.argv[2], sys.argv[3], *map(int, sys.argv[4:6]))
    else:
        sys.exit(__doc__)
