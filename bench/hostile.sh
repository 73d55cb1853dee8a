#!/usr/bin/env bash
# hostile.sh PORCUPINE WORKDIR - wall time and peak memory of `porcupine check` on every
#   hostile input: the committed corpus (tests/fixtures/hostile), the inputs too big to
#   commit or needing links, FIFOs and devices (made in WORKDIR, as test_hostile_cli.c makes
#   them), and, apart, floods that stay within every limit but fill the 1,000,000-node
#   budget.  The target is that each is refused (exit 2) with a located message in under a
#   second; the tests check the rest, only this script looks at the clock.
#
# BENCH_REPEAT  runs per input; the fastest is kept, as the machine's noise only adds (default 3)
set -euo pipefail
P=$(realpath "$1")
W=$2
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
rm -rf "$W"
mkdir -p "$W"

echo "porcupine hostile-input benchmark: $(nproc) cores, $(date -u +%FT%TZ)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$P" "$W" "$ROOT" "${BENCH_REPEAT:-3}" <<'EOF'
import os, re, subprocess, sys, threading, time

P, W, ROOT, REPEAT = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
CORPUS = os.path.join(ROOT, 'tests', 'fixtures', 'hostile')
TINY = open(os.path.join(ROOT, 'inputs', 'plans', 'tiny.yaml')).read()
HEADER = 'porcupine: 1\nname: x\nhorizon: {start: 2026, end: 2027}\n'
LOCATED = re.compile(r'^[^:]+:[0-9]+:[0-9]+: error: ')
GUARD = 30.0


def run(cwd, arg, feed=0):
    """One `check` run: (wall s, cpu s, peak KiB, exit status, first line of stderr).  The peak
    comes from GNU time, a small parent: a process forked from this one would count
    Python's own memory (Linux keeps the largest RSS over fork and exec)."""
    rss = os.path.join(W, 'rss')
    t0 = time.monotonic()
    proc = subprocess.Popen(['/usr/bin/time', '-f', '%U %S %M', '-o', rss, P, 'check', arg],
                            cwd=cwd, start_new_session=True,
                            stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if feed:
        def pump():
            chunk = b'#' * 65536
            try:
                for _ in range(feed // len(chunk)):
                    proc.stdin.write(chunk)
                proc.stdin.close()
            except (BrokenPipeError, ValueError, OSError):
                pass
        threading.Thread(target=pump, daemon=True).start()
    err = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
    reader.start()
    try:
        status = proc.wait(timeout=GUARD)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()
        status = 'hung'
    dt = time.monotonic() - t0
    reader.join(5)
    text = err[0].decode('utf-8', 'replace') if err else ''
    try:
        user, sys_, peak = open(rss).read().split()[-3:]
        cpu, peak = float(user) + float(sys_), int(peak)
    except (OSError, ValueError):
        cpu, peak = 0.0, 0
    return dt, cpu, peak, status, text.split('\n', 1)[0]


def measure(cwd, arg, feed=0):
    best = None
    for _ in range(REPEAT):
        r = run(cwd, arg, feed)
        if best is None or r[0] < best[0]:
            best = r
    return best


def write(name, data):
    path = os.path.join(W, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data.encode() if isinstance(data, str) else data)
    return path


def make_generated():
    """(label, cwd, argument, bytes fed on stdin) for the inputs made at run time."""
    g = []
    with open(os.path.join(W, 'big.yaml'), 'wb') as f:
        f.write(b'porcupine: 1\nname: big\n# ')
        f.truncate(200 * 1000 * 1000)
    g.append(('200 MB file', W, 'big.yaml', 0))
    g.append(('200 MB through a pipe', W, '/dev/stdin', 200 * 1000 * 1000))
    head = b'porcupine: 1\nname: over\n'
    body = bytearray(b'#' * (16 * 1024 * 1024 + 1 - len(head)))
    body[::64] = b'\n' * len(body[::64])
    write('over.yaml', head + bytes(body))
    g.append(('16 MiB + 1 byte', W, 'over.yaml', 0))
    g.append(('/dev/zero as the plan', W, '/dev/zero', 0))
    os.mkfifo(os.path.join(W, 'fifo.yaml'))
    g.append(('FIFO as the plan', W, 'fifo.yaml', 0))
    write('brackets.yaml', '[' * 1000000)
    g.append(('10^6 nested [', W, 'brackets.yaml', 0))
    write('braces.yaml', '{a: ' * 1000000)
    g.append(('10^6 nested {a:', W, 'braces.yaml', 0))
    write('dashes.yaml', '- ' * 1000000 + 'x\n')
    g.append(('10^6 nested block "- "', W, 'dashes.yaml', 0))
    lines, k, n = [], 0, 0
    while n + k + 8 < 16 * 1024 * 1024:
        lines.append(' ' * k + 'k:\n')
        n += k + 3
        k += 1
    write('indent.yaml', ''.join(lines))
    g.append(('block nesting by indented lines', W, 'indent.yaml', 0))
    write('aliases.yaml', 'porcupine: 1\nname: &a x\nb: [' + '*a, ' * 1000000 + '*a]\n')
    g.append(('10^6 aliases', W, 'aliases.yaml', 0))
    bomb = ['porcupine: 1', 'l0: &l0 [a, a, a, a, a, a, a, a, a, a]']
    for i in range(1, 19):
        bomb.append('l%d: &l%d [%s]' % (i, i, ', '.join(['*l%d' % (i - 1)] * 10)))
    write('bomb.yaml', '\n'.join(bomb) + '\n')
    g.append(('alias bomb, 10^18 nodes', W, 'bomb.yaml', 0))
    write('nodes.yaml', 'porcupine: 1\nname: [' + '1,' * 1000001 + '1]\n')
    g.append(('10^6 + 2 nodes', W, 'nodes.yaml', 0))
    write('long.yaml', 'porcupine: 1\nname: "' + 'x' * (64 * 1024 + 1) + '"\n')
    g.append(('64 KiB + 1 scalar', W, 'long.yaml', 0))
    # includes through links, FIFOs and folders
    d = os.path.join(W, 'inc')
    os.makedirs(d)
    write('outside.yaml', TINY)
    cases = [('link.yaml', lambda: os.symlink('../outside.yaml', os.path.join(d, 'link.yaml')),
              'include: link out of the folder'),
             ('zero.yaml', lambda: os.symlink('/dev/zero', os.path.join(d, 'zero.yaml')),
              'include: link to /dev/zero'),
             ('fifo.yaml', lambda: os.mkfifo(os.path.join(d, 'fifo.yaml')),
              'include: FIFO'),
             ('sub', lambda: os.mkdir(os.path.join(d, 'sub')), 'include: folder'),
             ('a.yaml', lambda: (os.symlink('b.yaml', os.path.join(d, 'a.yaml')),
                                 os.symlink('a.yaml', os.path.join(d, 'b.yaml'))),
              'include: loop of links')]
    for i, (target, make, label) in enumerate(cases):
        make()
        write('inc/plan%d.yaml' % i, 'include: %s\n%s' % (target, TINY))
        g.append((label, d, 'plan%d.yaml' % i, 0))
    return g


def make_floods():
    """Within every limit, but filling the node budget with work: problems the reader goes
    on after, anchors it must keep, records the binder builds."""
    f = []
    write('dups.yaml', HEADER + 'categories: {a: {}' + ', a: {}' * 450000 + '}\n')
    f.append(('450,000 duplicate keys', W, 'dups.yaml', 0))
    write('keys.yaml', HEADER + 'categories: {' +
          ', '.join('[%d]: {}' % i for i in range(300000)) + '}\n')
    f.append(('300,000 non-scalar keys', W, 'keys.yaml', 0))
    write('anchors.yaml', HEADER + 'items: [' +
          ', '.join('&a%d x' % i for i in range(900000)) + ']\n')
    f.append(('900,000 anchors', W, 'anchors.yaml', 0))
    for sec in ('funding', 'items', 'capabilities'):
        write('flood_%s.yaml' % sec, HEADER + sec + ':\n' +
              ''.join('  r%d: {}\n' % i for i in range(499990)))
        f.append(('499,990 empty %s' % sec, W, 'flood_%s.yaml' % sec, 0))
    write('flood_badids.yaml', HEADER + 'items:\n' +
          ''.join('  I%d: {}\n' % i for i in range(300000)))
    f.append(('300,000 bad item ids', W, 'flood_badids.yaml', 0))
    return f


def table(title, rows):
    print('\n%s' % title)
    print('  %-40s %8s %8s %9s  %s' % ('input', 'wall s', 'cpu s', 'peak MiB', 'result'))
    worst_t = worst_c = worst_m = 0.0
    bad = 0
    for label, (dt, cpu, rss, status, first) in rows:
        ok = status == 2 and LOCATED.match(first) is not None
        bad += not ok
        worst_t, worst_c, worst_m = max(worst_t, dt), max(worst_c, cpu), max(worst_m, rss / 1024)
        res = 'exit 2, located' if ok else 'NOT REFUSED: status %s: %s' % (status, first[:70])
        flag = '  > 1 s' if dt > 1.0 else ''
        print('  %-40s %8.3f %8.2f %9.1f  %s%s' % (label[:40], dt, cpu, rss / 1024, res, flag))
    return worst_t, worst_c, worst_m, bad


corpus = sorted(n for n in os.listdir(CORPUS) if n.endswith('.yaml'))
rows_c = [(n, measure(CORPUS, n)) for n in corpus]
gen = make_generated()
rows_g = [(label, measure(cwd, arg, feed)) for label, cwd, arg, feed in gen]
floods = make_floods()
rows_f = [(label, measure(cwd, arg, feed)) for label, cwd, arg, feed in floods]

tc, cc, mc, bc = table('committed corpus (%d plans; each the fastest of %d runs)'
                       % (len(rows_c), REPEAT), rows_c)
tg, cg, mg, bg = table('made at run time (%d inputs)' % len(rows_g), rows_g)
tf, cf, mf, bf = table('floods within every limit (%d inputs)' % len(rows_f), rows_f)


def verdict(t):
    return 'within' if t < 1.0 else 'OVER'


t_all, c_all, m_all = max(tc, tg), max(cc, cg), max(mc, mg)
print('\nsummary (target: each refused with exit 2 and a located message in under 1 s)')
print('  corpus + made at run time: %d inputs, %d not refused properly'
      % (len(rows_c) + len(rows_g), bc + bg))
print('    max wall time %.3f s: %s the 1 s target (max cpu %.2f s)'
      % (t_all, verdict(t_all), c_all))
print('    max peak RSS  %.1f MiB' % m_all)
print('  floods: %d inputs, %d not refused properly' % (len(rows_f), bf))
print('    max wall time %.3f s: %s the 1 s target (max cpu %.2f s)' % (tf, verdict(tf), cf))
print('    max peak RSS  %.1f MiB' % mf)
EOF
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
