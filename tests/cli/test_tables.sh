# The reference tables in data/ (aircraft.csv, weapons.csv, operators.csv)
# keep their invariants (data/README.md): every row sourced from an acceptable
# kind of source, no denied domain, estimates marked, numbers within physical
# bounds, cruise <= max speed, weapons complete, default weapons carried by
# their type, operator names resolvable, group dates in order, names unique.
# The checks are made by Python's csv module, a reader independent of the
# loader; the last check is that the loader still reads the bundled tables.
# A copy of the tables with one invariant broken must fail the same checks.
source "$(dirname "$0")/lib.sh"

# check_tables DIR: prints one line per violation, exits 1 if any.
check_tables() {
  python3 - "$1" <<'PY'
import csv, re, sys, datetime
d = sys.argv[1]
bad = []
def err(msg): bad.append(msg)
def load(name):
    with open(f"{d}/{name}", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
def split(v): return [x.strip() for x in (v or "").split(";") if x.strip()]
def num(v):
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if x == x and abs(x) != float("inf") else None

aircraft, weapons, operators = load("aircraft.csv"), load("weapons.csv"), load("operators.csv")
cols = {"aircraft.csv": (aircraft, "type,aliases,max_speed_kmh,cruise_speed_kmh,combat_radius_km,operators,default_weapons,source"),
        "weapons.csv": (weapons, "name,aliases,range_km,speed_kmh,guided,launch,carriers,operators,in_service,source"),
        "operators.csv": (operators, "name,aliases,members,from,to,source")}
for fname, (rows, want) in cols.items():
    with open(f"{d}/{fname}", newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    for c in want.split(","):
        if c not in header:
            err(f"{fname}: no column {c}")
    if not rows:
        err(f"{fname}: no rows")

DENY = ["pogoda.", "nighthawk.o.oo7.jp", "vseinfo.com", "novinky.cz", "komputerswiat.pl",
        "blogspot", "wordpress", "reddit", "forum"]
JARGON = ["UNCERTAIN", "POLICY", "REMOVED"]
for fname, (rows, _) in cols.items():
    key = "type" if fname == "aircraft.csv" else "name"
    for r in rows:
        src = r.get("source") or ""
        if not src.strip():
            err(f"{fname}: {r[key]}: empty source")
        low = src.lower()
        for dom in DENY:
            if dom in low:
                err(f"{fname}: {r[key]}: source cites a denied domain or kind ({dom})")
        for j in JARGON:
            if re.search(r"\b" + j + r"\b", src):
                err(f"{fname}: {r[key]}: source uses internal jargon ({j})")
        if "wikipedia" in low and not re.search(r"fact sheet|maker|ministry|jane's|iiss|sipri|britannica|official|\(.*data", low):
            err(f"{fname}: {r[key]}: Wikipedia cited without a primary source")

def noted(src): return "ESTIMATE" in src or "Note:" in src

# aircraft
for r in aircraft:
    t = r["type"]
    mx, cr, rad = num(r["max_speed_kmh"]), num(r["cruise_speed_kmh"]), num(r["combat_radius_km"])
    if mx is None or not 0 < mx <= 30000:
        err(f"aircraft {t}: max_speed_kmh {r['max_speed_kmh']!r} not in (0, 30000]")
    if cr is None or not 0 < cr <= 30000:
        err(f"aircraft {t}: cruise_speed_kmh {r['cruise_speed_kmh']!r} not filled or out of bounds")
    if mx is not None and cr is not None and cr > mx:
        err(f"aircraft {t}: cruise {cr} above max {mx}")
    if r["combat_radius_km"].strip():
        if rad is None or not 0 <= rad <= 20004:
            err(f"aircraft {t}: combat_radius_km {r['combat_radius_km']!r} out of bounds")
        elif rad > 5500 and not noted(r["source"]):
            err(f"aircraft {t}: radius {rad} km above 5,500 without ESTIMATE or Note:")

# weapons
for r in weapons:
    n = r["name"]
    rng, spd = num(r["range_km"]), num(r["speed_kmh"])
    if rng is None or not 0 < rng <= 20004:
        err(f"weapon {n}: range_km {r['range_km']!r} out of bounds")
    elif rng > 5500 and not noted(r["source"]):
        err(f"weapon {n}: range {rng} km above 5,500 without ESTIMATE or Note:")
    if spd is None or not 0 < spd <= 30000:
        err(f"weapon {n}: speed_kmh {r['speed_kmh']!r} not filled or out of bounds")
    if r["guided"].strip().lower() not in ("true", "false"):
        err(f"weapon {n}: guided {r['guided']!r} not true/false")
    launch = split(r["launch"])
    if not launch or any(x not in ("air", "ship", "ground") for x in launch):
        err(f"weapon {n}: launch {r['launch']!r} not a list of air, ship, ground")
    if not re.fullmatch(r"\d{4}", r["in_service"].strip()) or not 1900 <= int(r["in_service"]) <= 2030:
        err(f"weapon {n}: in_service {r['in_service']!r} not a year 1900-2030")
    if not split(r["carriers"]):
        err(f"weapon {n}: no carriers")

# unique names and aliases, case-insensitively, within each table
def unique(rows, key, label, groups=False):
    # groups: rows of operators.csv that share a name are one group (they merge)
    seen = {}
    for i, r in enumerate(rows):
        owner = r[key].strip()
        for nm in [owner] + split(r["aliases"]):
            k = nm.casefold()
            if k in seen:
                prev_owner, prev_row = seen[k]
                if prev_owner.casefold() != owner.casefold() or prev_row == i or not groups:
                    err(f"{label}: name {nm!r} used twice ({prev_owner} and {owner})")
            else:
                seen[k] = (owner, i)
    return {k: v[0] for k, v in seen.items()}
atypes = unique(aircraft, "type", "aircraft.csv")
wnames = unique(weapons, "name", "weapons.csv")
onames = unique(operators, "name", "operators.csv", groups=True)

# default weapons exist and list the type among their carriers
wrow = {r["name"]: r for r in weapons}
for r in aircraft:
    for w in split(r["default_weapons"]):
        canon = wnames.get(w.casefold())
        if canon is None:
            err(f"aircraft {r['type']}: default weapon {w!r} not in weapons.csv")
            continue
        carriers = {c.casefold() for c in split(wrow[canon]["carriers"])}
        names = {r["type"].casefold()} | {a.casefold() for a in split(r["aliases"])}
        if not carriers & names:
            err(f"aircraft {r['type']}: default weapon {canon} does not list it among its carriers")

# an air-launched weapon's carriers are aircraft types of aircraft.csv
for r in weapons:
    if split(r["launch"]) == ["air"]:
        for c in split(r["carriers"]):
            if c.casefold() not in atypes:
                err(f"weapon {r['name']}: carrier {c!r} is not an aircraft type in aircraft.csv")

# operator names resolve; group members resolve; dates parse and are ordered
for label, rows, key in (("aircraft", aircraft, "type"), ("weapon", weapons, "name")):
    for r in rows:
        for o in split(r["operators"]):
            if o.casefold() not in onames:
                err(f"{label} {r[key]}: operator {o!r} not in operators.csv")
def date(v, what, who):
    v = v.strip()
    if not v:
        return None
    try:
        return datetime.date.fromisoformat(v)
    except ValueError:
        err(f"operator {who}: {what} {v!r} is not an ISO date")
        return None
for r in operators:
    for m in split(r["members"]):
        canon = onames.get(m.casefold())
        if canon is None:
            err(f"operator {r['name']}: member {m!r} not in operators.csv")
        elif canon == r["name"]:
            err(f"operator {r['name']}: lists itself as a member")
    f, t = date(r["from"], "from", r["name"]), date(r["to"], "to", r["name"])
    if f and t and f > t:
        err(f"operator {r['name']}: from {f} after to {t}")
    if (r["from"].strip() or r["to"].strip()) and not split(r["members"]):
        err(f"operator {r['name']}: dates without members")

for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
}

# 1. The bundled tables keep every invariant.
if check_tables "$SRC/data" >"$OUT/violations" 2>&1; then pass; else
  fail "bundled tables break invariants:"; cat "$OUT/violations" >&2
fi

# 2. The checks can fail: each broken copy must be caught, naming the fault.
breaks=(
  "aircraft.csv|import csv;r=list(csv.reader(open(P)));r[1][7]='';W(r)|empty source"
  "aircraft.csv|import csv;r=list(csv.reader(open(P)));r[1][7]+=' See http://pogoda.spb.ru/x';W(r)|denied domain"
  "aircraft.csv|import csv;r=list(csv.reader(open(P)));r[1][3]=str(float(r[1][2])+1);W(r)|above max"
  "aircraft.csv|import csv;r=list(csv.reader(open(P)));r[1][3]='';W(r)|cruise_speed_kmh"
  "aircraft.csv|import csv;r=list(csv.reader(open(P)));r[1][6]+=';No Such Bomb';W(r)|not in weapons.csv"
  "aircraft.csv|import csv;r=list(csv.reader(open(P)));r[1][5]+=';Atlantis';W(r)|not in operators.csv"
  "weapons.csv|import csv;r=list(csv.reader(open(P)));r[1][2]='6000';r[1][9]='A reference work.';W(r)|above 5,500"
  "weapons.csv|import csv;r=list(csv.reader(open(P)));r[1][3]='';W(r)|speed_kmh"
  "weapons.csv|import csv;r=list(csv.reader(open(P)));r[1][5]='sea';W(r)|launch"
  "weapons.csv|import csv;r=list(csv.reader(open(P)));r[1][8]='1850';W(r)|in_service"
  "weapons.csv|import csv;r=list(csv.reader(open(P)));r[1][6]='Nobody';W(r)|among its carriers"
  "weapons.csv|import csv;r=list(csv.reader(open(P)));r[2][1]+=';'+r[1][0].upper();W(r)|used twice"
  "weapons.csv|import csv;r=list(csv.reader(open(P)));r[1][6]+=';Flying Carpet';W(r)|not an aircraft type"
  "operators.csv|import csv;r=list(csv.reader(open(P)));r.append(['Test group','','Atlantis','2015-01-01','2014-01-01','x']);W(r)|member"
  "operators.csv|import csv;r=list(csv.reader(open(P)));r.append(['Test group 2','','Russia','2015-01-01','2014-01-01','x']);W(r)|after to"
  "operators.csv|import csv;r=list(csv.reader(open(P)));r.append(['Test group 3','','Russia','2015-13-01','','x']);W(r)|ISO date"
)
i=0
for b in "${breaks[@]}"; do
  i=$((i + 1))
  file=${b%%|*}; rest=${b#*|}; code=${rest%|*}; want=${rest##*|}
  dir="$OUT/broken$i"
  mkdir -p "$dir" && cp "$SRC/data/aircraft.csv" "$SRC/data/weapons.csv" "$SRC/data/operators.csv" "$dir/"
  P="$dir/$file" python3 -c "import os,csv
P=os.environ['P']
def W(r): csv.writer(open(P,'w',newline=''),lineterminator='\n').writerows(r)
$code"
  if check_tables "$dir" >"$dir/violations" 2>&1; then
    fail "broken copy $i ($file: $want) passed the checks"
  elif grep -q -- "$want" "$dir/violations"; then pass
  else fail "broken copy $i ($file): expected a violation about '$want', got: $(head -3 "$dir/violations")"
  fi
done

# 3. The loader still reads the bundled tables (the example uses them).
"$SM" validate "$SRC/examples/aleppo-2016.geojson" >"$OUT/validate.out" 2>"$OUT/validate.err"
[ $? -eq 0 ] && pass || { fail "validate with the bundled tables"; cat "$OUT/validate.err" >&2; }
# ... and named explicitly, so that these are the tables read (with
# --operators once the loader has it)
tables=(--aircraft "$SRC/data/aircraft.csv" --weapons "$SRC/data/weapons.csv")
if "$SM" validate --help 2>/dev/null | grep -q -- '--operators'; then
  tables+=(--operators "$SRC/data/operators.csv")
fi
"$SM" validate "${tables[@]}" "$SRC/examples/aleppo-2016.geojson" >"$OUT/validate2.out" 2>"$OUT/validate2.err"
[ $? -eq 0 ] && pass || { fail "validate ${tables[*]}"; cat "$OUT/validate2.err" >&2; }
finish
