#!/usr/bin/env python3
"""cdp.py CHROMIUM URL OUT [--no-js SHOT.png]: the HTML report driven in headless Chromium as a
reader would, over the DevTools protocol on a pipe (--remote-debugging-pipe:
nothing but the Python standard library, no network). Prints "FAIL: ..." for
each failed check and "cdp.py: N checks" at the end; exits 1 on a failure.

- At 400 x 850 (a phone: touch, mobile viewport): every claim drawn on the map
  is reached by a tap on its spot (claims at one spot are listed together in
  the panel, which shows on the screen); a tap 18 px off a lone spot still
  reaches it (a 44 px target); the tables' claim links are at least 44 px
  high; the map zooms with its buttons.
- At 1400 x 1000 (a desk): the same with mouse clicks, after zooming in; the
  table filter keeps only the matching rows.
- With --no-js, scripts disabled: a plain page, the map across it, no dead
  controls; a screenshot written to SHOT.png.
"""
import json
import os
import subprocess
import sys
import time

CHECKS = 0
FAILS = 0


def check(ok, what):
    global CHECKS, FAILS
    CHECKS += 1
    if not ok:
        FAILS += 1
        print("FAIL: " + what, flush=True)


class Chrome:
    def __init__(self, exe, profile, log):
        to_r, to_w = os.pipe()  # we write, Chromium reads on fd 3
        from_r, from_w = os.pipe()  # Chromium writes on fd 4, we read

        def child():
            os.dup2(to_r, 3)
            os.dup2(from_w, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--remote-debugging-pipe", "--user-data-dir=" + profile,
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=child,
            close_fds=False)
        os.close(to_r)
        os.close(from_w)
        self.w = os.fdopen(to_w, "wb")
        self.r = os.fdopen(from_r, "rb")
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        self.w.write(json.dumps(msg).encode() + b"\0")
        self.w.flush()
        while True:
            m = self.read()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def read(self):
        buf = b""
        while True:
            c = self.r.read(1)
            if not c:
                raise RuntimeError("Chromium closed the pipe")
            if c == b"\0":
                return json.loads(buf)
            buf += c

    def wait_event(self, name, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            for i, e in enumerate(self.events):
                if e.get("method") == name:
                    del self.events[i]
                    return e
            self.events.append(self.read())
        raise RuntimeError("no " + name)

    def open(self):
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        page = [t for t in targets if t["type"] == "page"][0]
        self.session = self.send("Target.attachToTarget",
                                 {"targetId": page["targetId"], "flatten": True},
                                 session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")

    def js(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError("JS: %s: %s" % (expr[:80], r["exceptionDetails"]))
        return r["result"].get("value")

    def goto(self, url):
        self.events = []
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")
        time.sleep(0.3)

    def tap(self, x, y, touch):
        if touch:  # a finger down and up (Chromium makes the click)
            self.send("Input.dispatchTouchEvent",
                      {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
            self.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        else:
            for t in ("mousePressed", "mouseReleased"):
                self.send("Input.dispatchMouseEvent",
                          {"type": t, "x": x, "y": y, "button": "left", "clickCount": 1})
        time.sleep(0.05)

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# The spots of the map: their claims and their centre on the screen.
SPOTS_JS = """(function(){
  var out=[],b=document.querySelector('.map-stack').getBoundingClientRect();
  document.querySelectorAll('.overlay .hot a').forEach(function(a){
    var c=a.querySelector('circle'); if(!c) return;
    var r=c.getBoundingClientRect();
    var ids=a.getAttribute('data-spot')?a.getAttribute('data-spot').split(' ')
           :[a.getAttribute('data-claim')];
    var x=r.left+r.width/2,y=r.top+r.height/2;
    if(x<b.left||x>=b.right||y<b.top||y>=b.bottom) return; /* not in the frame */
    out.push({ids:ids,x:x,y:y});
  });
  return out;})()"""

PANEL_JS = """(function(){
  var p=document.getElementById('panel'); if(p.hidden) return null;
  var r=p.getBoundingClientRect();
  return {ids:Array.prototype.map.call(p.querySelectorAll('article[data-of]'),
            function(a){return a.getAttribute('data-of');}),
          top:r.top,bottom:r.bottom,h:innerHeight};})()"""


def panel_after_tap(c, want):
    """The panel once it shows want (a loaded machine may take a while to
    turn a tap into a click), or as it is after 3 s."""
    end = time.time() + 3
    while True:
        p = c.js(PANEL_JS)
        if (p is not None and sorted(p["ids"]) == sorted(want)) or time.time() > end:
            return p
        time.sleep(0.05)


def close_panel(c):
    c.js("(function(){var b=document.querySelector('#panel .close');if(b)b.click();})()")


def spots_reachable(c, touch, label):
    """Tap each spot of the map; the panel must show its claims, on screen."""
    close_panel(c)
    c.js("document.querySelector('.map-stack').scrollIntoView({block:'start'})")
    time.sleep(0.2)
    spots = c.js(SPOTS_JS)
    check(len(spots) > 0, label + ": no spots on the map")
    h = c.js("innerHeight")
    w = c.js("innerWidth")
    reached = set()
    all_ids = set()
    for s in spots:
        all_ids.update(s["ids"])
        if not (0 <= s["x"] < w and 0 <= s["y"] < h):
            continue  # off the screen at this zoom
        close_panel(c)
        c.tap(s["x"], s["y"], touch)
        p = panel_after_tap(c, s["ids"])
        ok = p is not None and sorted(p["ids"]) == sorted(s["ids"])
        check(ok, "%s: a tap on the spot of %s shows %s" % (label, s["ids"], p and p["ids"]))
        if ok:
            reached.update(s["ids"])
            check(p["top"] < p["h"] and p["bottom"] > 0, label + ": the panel is off the screen")
        # a finger lands off the centre: 18 px away (inside a 44 px target),
        # where no other spot is nearer
        far = all(((o["x"] - s["x"]) ** 2 + (o["y"] - s["y"]) ** 2) ** 0.5 > 60
                  for o in spots if o is not s)
        if touch and far and s["y"] + 18 < h:
            close_panel(c)
            c.tap(s["x"], s["y"] + 18, touch)
            p = panel_after_tap(c, s["ids"])
            check(p is not None and sorted(p["ids"]) == sorted(s["ids"]),
                  "%s: a tap 18 px below %s misses it" % (label, s["ids"]))
    return reached, all_ids


def phone(c, url):
    c.send("Emulation.setDeviceMetricsOverride",
           {"width": 400, "height": 850, "deviceScaleFactor": 2, "mobile": True})
    c.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    c.goto(url)
    check(c.js("document.documentElement.scrollWidth") <= 400,
          "phone: the page is wider than the screen (%s px)"
          % c.js("document.documentElement.scrollWidth"))
    reached, all_ids = spots_reachable(c, True, "phone")
    check(reached == all_ids, "phone: claims not reached by a tap: %s" % sorted(all_ids - reached))
    msf = [i for i in all_ids
           if c.js("document.querySelector('#%s h3').textContent" % i).find("s-maarat") >= 0]
    check(len(msf) == 3 and msf[0] in reached, "phone: the three MSF claims: %s" % msf)
    # finger-sized links in the tables
    small = c.js("""Array.prototype.filter.call(document.querySelectorAll('a.claim-link'),
      function(a){var r=a.getBoundingClientRect();return r.height<44||r.width<44;}).length""")
    check(small == 0, "phone: %s claim links smaller than 44 px" % small)
    n = c.js("document.querySelectorAll('.zoom-ctl button').length")
    check(n == 3, "phone: zoom buttons: %s" % n)
    b = c.js("""(function(){var e=document.querySelector('.zoom-ctl button');if(!e)return [0,0];
              var r=e.getBoundingClientRect();return [r.width,r.height];})()""")
    check(b[0] >= 44 and b[1] >= 44, "phone: zoom button is %s px" % b)


def desk(c, url):
    c.send("Emulation.setTouchEmulationEnabled", {"enabled": False})
    c.send("Emulation.setDeviceMetricsOverride",
           {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    c.goto(url)
    reached, all_ids = spots_reachable(c, False, "desk")
    check(reached == all_ids, "desk: claims not reached by a click: %s" % sorted(all_ids - reached))
    # zoom in twice with the button: the map is scaled, the spots still work
    c.js("document.querySelector('.zoom-ctl button').click()")
    c.js("document.querySelector('.zoom-ctl button').click()")
    t = c.js("document.querySelector('.map-zoom').style.transform")
    check("scale(2.56" in (t or ""), "desk: zoom-in gave transform %r" % t)
    reached, _ = spots_reachable(c, False, "desk zoomed")
    check(len(reached) > 0, "desk zoomed: no claim reached")
    # the filter: only rows with the words typed
    r = c.js("""(function(){
      var i=document.querySelector('.filter input[aria-controls=verdict-table]');
      i.value='implausible';i.dispatchEvent(new Event('input'));
      var rows=document.querySelectorAll('#verdict-table tbody tr');
      var shown=Array.prototype.filter.call(rows,function(r){return !r.hidden;});
      return [rows.length,shown.length,shown.every(function(r){
        return r.textContent.indexOf('implausible')>=0;})];})()""")
    check(r[1] >= 1 and r[1] < r[0] and r[2], "desk: filter 'implausible' shows %s" % r)


def run(what, f, c, url):
    try:
        f(c, url)
    except RuntimeError as e:  # a page without what the checks look for
        check(False, "%s: %s" % (what, str(e)[:300]))


def nojs(c, url, shot):
    """Without JavaScript: a plain page, the map drawn across the page."""
    c.send("Emulation.setScriptExecutionDisabled", {"value": True})
    c.send("Emulation.setDeviceMetricsOverride",
           {"width": 1280, "height": 3000, "deviceScaleFactor": 1, "mobile": False})
    c.goto(url)
    check(c.js("document.documentElement.className") == "", "no-JS: scripts ran")
    w = c.js("document.querySelector('.map-stack').getBoundingClientRect().width")
    check(w > 1000, "no-JS: the map is %s px wide" % w)
    check(c.js("document.getElementById('panel').getBoundingClientRect().width") == 0,
          "no-JS: the empty panel shows")
    check(c.js("document.querySelectorAll('.filter,.zoom-ctl').length") == 0,
          "no-JS: dead controls shown")
    import base64
    png = c.send("Page.captureScreenshot", {"format": "png"})["data"]
    with open(shot, "wb") as f:
        f.write(base64.b64decode(png))


def main():
    exe, url, out = sys.argv[1], sys.argv[2], sys.argv[3]
    shot = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--no-js" else None
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "chrome-cdp.log"), "ab") as log:
        c = Chrome(exe, os.path.join(out, "profile-cdp"), log)
        try:
            c.open()
            if shot:
                run("no-JS", lambda c, u: nojs(c, u, shot), c, url)
            else:
                run("phone", phone, c, url)
                run("desk", desk, c, url)
        finally:
            c.close()
    print("cdp.py: %d checks, %d failed" % (CHECKS, FAILS))
    sys.exit(1 if FAILS else 0)


main()
