/*
 * map_claims.h: the claim layers (map_claims.c builds them,
 * map_claim_labels.c makes their labels, map_claims_draw.c draws them):
 * strike markers and area targets, aircraft fixes, tracks with direction
 * arrows and times, bases, and the fix-to-strike lines coloured by
 * verdict. Calls the view, labels, symbols, raster and basemap (the focus
 * country is where the strikes are).
 */
#ifndef SM_MAP_CLAIMS_H
#define SM_MAP_CLAIMS_H

#include "map/map_basemap.h"
#include "map/map_raster.h"

/* Limits on what one map draws (docs/render.md, "Limits"). Each keeps a
 * map of a million claims readable and its layout time bounded; each that
 * leaves something out says so in a warning naming the count. */
/* Claim labels laid out (each a block for the claims at one point); more
 * are left out with a warning. */
#define SM__MAP_MAX_CLAIM_LABELS 400
/* Points of verdict lines and tracks that keep labels off them; past this,
 * labels may be placed over the remaining lines (a warning says so). */
#define SM__MAP_MAX_LINE_OBSTACLES 200000
/* A strike without a label is named by its id only while this many
 * strikes or fewer are in view (a rule, not a cap: ids of thousands of
 * strikes would only be left out as labels that cannot fit). */
#define SM__MAP_ID_LABEL_STRIKES 50
/* Times are written along a track only while there are this many tracks or
 * fewer (each track's ends always carry theirs). */
#define SM__MAP_TIMED_TRACKS 12
/* Claims named in one label block before "+ N more claims here". */
#define SM__MAP_BLOCK_LINES 7
/* Strikes in view past which strikes whose markers would overlap are drawn
 * as one cluster marker with their count (a rule, not a cap). */
#define SM__MAP_CLUSTER_STRIKES SM__MAP_DENSE_STRIKES
/* Fix-to-strike lines drawn one by one up to this many; past it, the lines
 * from one fix are bundled by verdict into one, to the middle of its
 * strikes, its width growing with their number. */
#define SM__MAP_BUNDLE_LINES 40
/* Bundles drawn, the largest first; more are left out with a warning. */
#define SM__MAP_MAX_BUNDLES 36

/* Strikes drawn as one marker: where, how many, and how many of them have
 * each best verdict (the best of its pairs; [4]: no pair). */
typedef struct sm__cluster {
    double x, y, r;
    size_t count;
    size_t by_verdict[5];
    PangoLayout *label; /* the count */
    size_t first;       /* one of its strikes */
} sm__cluster;

/* A strike's marker (map_smarks.c): where (canvas pt) and its grading. */
typedef struct sm__smark {
    double x, y;
    int variant;
} sm__smark;

/* Markers a run holds (768 KB): past it, a run is written to a scratch
 * file. Smaller runs cost more reads a band; larger ones more memory. */
#define SM__SMARK_RUN 32768

/* A run of strike markers in drawing order, indexed by (grading rank,
 * 4-pt row): start[g * rows + (row - r0)] is the first of that bucket. */
typedef struct sm__smark_run {
    sm__smark *mem; /* in memory (the last run), else NULL: in the file at off */
    long long off;  /* bytes */
    size_t n;
    long r0;
    size_t rows;
    size_t *start; /* 6 * rows + 1 */
} sm__smark_run;

/* The strike markers of a map (map_smarks.c). */
typedef struct sm__smarks {
    sm__smark_run *runs;
    size_t n_runs, cap_runs;
    sm__smark *buf; /* the run being filled */
    size_t len, cap;
    FILE *file;       /* the runs written out; NULL: none */
    size_t n;         /* every marker */
    size_t run;       /* markers a run holds (run_size) */
    bool failed;      /* reading back failed while drawing */
    bool read_failed; /* ... because the scratch file could not be read */
} sm__smarks;

/* Drawing order of gradings: 0 first (under), 5 last (on top). */
int sm__grading_rank(int grading);
/* Add a strike's marker; false (m->status set) when out of memory or the
 * scratch file cannot be written. */
bool sm__smarks_add(sm_map *m, double x, double y, int variant);
/* After the last marker: the last run sorted and indexed. */
bool sm__smarks_finish(sm_map *m);
/* The markers whose 4-pt rows meet [y0, y1] (canvas pt), in drawing order,
 * handed to fn in runs; fn returns false to stop. False when they could
 * not be read (out of memory, the file): nothing of the map's status is
 * touched (this runs while drawing, maybe on a worker thread); `failed`
 * is set. */
typedef bool (*sm__smarks_fn)(sm_map *m, const sm__smark *mk, size_t n, void *user);
bool sm__smarks_each(sm_map *m, double y0, double y1, sm__smarks_fn fn, void *user);
/* At most max markers, evenly spread in drawing order, into xy (x, y
 * pairs); their number. */
size_t sm__smarks_sample(sm_map *m, double *xy, size_t max);
/* After drawing, on the calling thread: SM_OK, or the failure of
 * sm__smarks_each said (out of memory, or the scratch file unreadable:
 * SM_ERR_IO naming TMPDIR and path). */
sm_status sm__smarks_status(sm_map *m, const char *path);
void sm__smarks_free(sm__smarks *s);

typedef struct sm__mark {
    double x, y;  /* canvas (pt) */
    double angle; /* radians clockwise from up, for aircraft */
    int kind;     /* SM__MARK_* */
    int variant;  /* strike grading; place rank */
} sm__mark;

typedef struct sm__arrow {
    double x, y, angle; /* tip at (x,y), pointing along angle (radians, canvas) */
    int verdict;        /* for verdict arrowheads; -1: track */
} sm__arrow;

/* A claim's label before the claims at one point are made one block. */
typedef struct sm__label_item {
    double x, y, r;
    int kind;
    int priority;
    const char *label; /* as the claim writes it */
    char extra[96];    /* a time line (at most ~40 bytes), or "" */
} sm__label_item;

typedef struct sm__claim_layers {
    sm__vec marks;     /* sm__mark: bases, fixes (drawn in this order) */
    sm__smarks smarks; /* the strikes' markers, drawn last */
    sm__paths tracks;  /* tag = aircraft index */
    sm__paths vlines;  /* tag = verdict */
    sm__paths areas;   /* area targets, polygons */
    sm__vec arrows;    /* sm__arrow */
    bool has_grading[6], has_verdict[4], has_fix, has_track, has_base, has_strike, has_area;
    size_t n_pairs_drawn;
    sm__vec clusters;     /* sm__cluster */
    size_t clustered;     /* strikes drawn in clusters */
    unsigned bundle_tags; /* tags of vlines in use (verdict + 4 x width class) */
    /* while the map is laid out */
    sm__vec items;                  /* sm__label_item */
    sm__key_set keys;               /* verdict lines drawn */
    size_t visible;                 /* strikes in the panel */
    unsigned char *in_pair_a;       /* aircraft in a drawn pair (labels first) */
    double *heading;                /* of each aircraft, radians */
    uint32_t *pair_order;           /* pairs by strike, when the check did not list them so */
    struct sm__tracks_ahead *ahead; /* tracks measured on a second thread (map_tracks.c) */
    sm__vec cells;                  /* clustering: strikes by grid cell (map_clusters.c) */
    uint32_t *cell_slot;            /* their hash table by cell */
    size_t cell_cap;
} sm__claim_layers;

void sm__claims_init(sm__claim_layers *c);
void sm__claims_free(sm__claim_layers *c);
/* Project the strikes, set the marker scale (sm__view_density), find the
 * claims in pairs: before any part is built. */
sm_status sm__claims_prepare(sm_map *m);
/* Once every marker is made: sort strikes for drawing, the focus country,
 * markers and lines as label obstacles. */
void sm__claims_finish(sm_map *m);
double sm__mark_radius(const sm_map *m, int kind);
/* A direction arrow with its tip at (x, y) (canvas), pointing along angle
 * (radians); verdict -1 for a track's. */
void sm__arrow_add(sm_map *m, double x, double y, double angle, int verdict);
bool sm__claims_add_item(sm_map *m, double x, double y, double r, int kind, int prio,
                         const char *label, const char *extra);

/* The parts, for the part table. */
void sm__strikes_build(sm_map *m, int stage);
void sm__strikes_draw(sm_map *m, const sm__draw *d, int phase);
void sm__strikes_legend(sm_map *m, sm__vec *legend);
void sm__fixes_build(sm_map *m, int stage);
void sm__fixes_draw(sm_map *m, const sm__draw *d, int phase);
void sm__fixes_legend(sm_map *m, sm__vec *legend);
/* The tracks part (map_tracks.c). sm__tracks_start, once the view is
 * fixed: the tracks measured on a second thread while the layout goes on
 * (when they are many); sm__tracks_build takes them in its place in the
 * part table (measuring here what the thread did not); sm__tracks_stop
 * waits for the thread and frees what is left (sm_map_free; a no-op when
 * nothing was started). */
typedef struct sm__tracks_ahead sm__tracks_ahead;
void sm__tracks_start(sm_map *m);
void sm__tracks_stop(sm_map *m);
void sm__tracks_build(sm_map *m, int stage);
void sm__tracks_draw(sm_map *m, const sm__draw *d, int phase);
/* The track lines' passes drawn: from this one (0 the halo, 1 the line) to
 * 1; 2 for none. */
int sm__tracks_first_pass(const sm_map *m);
/* Whether a pass may be stroked ahead as coverage (its colour opaque), and
 * that pass as coverage on d's target: what sm__tracks_draw lays on in the
 * pass's colour from d->tracks_mask. */
bool sm__tracks_pass_maskable(const sm_map *m, int pass);
void sm__tracks_mask_draw(sm_map *m, const sm__draw *d, int pass);
void sm__tracks_legend(sm_map *m, sm__vec *legend);
void sm__bases_build(sm_map *m, int stage);
void sm__bases_draw(sm_map *m, const sm__draw *d, int phase);
void sm__bases_legend(sm_map *m, sm__vec *legend);
void sm__verdicts_build(sm_map *m, int stage);
void sm__verdicts_draw(sm_map *m, const sm__draw *d, int phase);
void sm__verdicts_legend(sm_map *m, sm__vec *legend);
/* Is a strike's position flagged as a likely error (a "geometry" warning
 * of the position checks: at sea, far from the rest, swapped)? */
bool sm__strike_flagged(const sm_strike *s);
/* A strike in view, as the pass over the strikes places it: where, and
 * what its marker and label need (the strike itself is gone after its
 * batch when the strikes stream). */
typedef struct sm__placed {
    const sm_strike *s; /* valid during the pass only */
    double x, y;        /* canvas */
    signed char best;   /* best verdict of its drawn pairs, -1: none */
    bool in_pair;
} sm__placed;
/* Strikes that would overlap merge into clusters (map_clusters.c): each
 * strike in view goes to its grid cell as the pass places it; after the
 * pass, cells merge into markers that do not overlap and lone strikes
 * become markers with their labels. */
bool sm__cluster_add(sm_map *m, const sm__placed *p);
void sm__clusters_finish(sm_map *m);
void sm__cells_free(sm_map *m);
/* Bundle the verdict lines, one per fix and verdict (map_clusters.c). */
void sm__verdicts_bundle(sm_map *m);
void sm__clusters_draw(sm_map *m, const sm__draw *d);
void sm__clusters_legend(sm_map *m, sm__vec *legend);
/* A strike as a marker, with its label item (map_claims.c): its
 * grading, where, its label text or NULL (copied), flagged, in a pair. */
bool sm__strike_mark(sm_map *m, int grading, double x, double y, const char *text, bool flagged,
                     bool in_pair);
/* The label text of a strike in view: its label, else its id while few
 * strikes are in view; NULL for none. */
const char *sm__strike_text(const sm_map *m, const sm_strike *s);
/* The claim labels (the "labels" part), map_claim_labels.c. */
void sm__claim_labels_build(sm_map *m, int stage);

#endif
