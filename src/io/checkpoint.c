/**
 * @file checkpoint.c
 * @brief Restart files: signature, labelled length-checked blocks with checksums, end marker;
 * written atomically with the previous file kept as `.prev`.
 */

/* system headers */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* local headers */
#include "jinsong/build_info.h"
#include "jinsong/checkpoint.h"
#include "jinsong/fsutil.h"
#include "jinsong/gitrev.h"
#include "jinsong/graph.h"
#include "jinsong/hash.h"
#include "jinsong/log.h"
#include "jinsong/util.h"

/** @brief The signature: the first 16 bytes of every restart file. */
static const char ck_magic[16] = "JINSONG-RESTART\n";
/** @brief Version of the layout (blocks and their meaning). */
#define CK_FORMAT 1u
/** @brief Written as a native word: a file from a machine of other byte order is refused. */
#define CK_BYTE_ORDER 0x01020304u
/** @brief Longest block label. */
#define CK_MAX_LABEL 256u
/** @brief Bytes copied at a time. */
#define CK_CHUNK (1u << 20)

/* ---------------------------------------------------------------- writing */

/** @brief A restart file being written. */
struct ck_writer {
    FILE *f;          /**< the temporary file */
    struct js_hash h; /**< checksum of the current block */
    uint64_t left;    /**< bytes of the current block still to write */
    int64_t nblocks;  /**< blocks written */
    uint64_t offset;  /**< bytes written */
    int failed;       /**< a write failed (errno in err) */
    int err;          /**< errno of the first failure */
};

/**
 * @brief Writes raw bytes (not hashed).
 * @param w writer
 * @param p bytes
 * @param n how many
 */
static void ckw_raw(struct ck_writer *w, const void *p, size_t n)
{
    if (w->failed || n == 0)
        return;
    if (fwrite(p, 1, n, w->f) != n) {
        w->failed = 1;
        w->err = errno ? errno : EIO;
    }
    w->offset += n;
}

/**
 * @brief Starts a block: its label and data length (both hashed).
 * @param w writer
 * @param label label
 * @param len bytes of data that will follow
 */
static void ckw_begin(struct ck_writer *w, const char *label, uint64_t len)
{
    uint32_t l = (uint32_t)strlen(label);
    JS_ASSERT(l <= CK_MAX_LABEL && w->left == 0);
    ckw_raw(w, &l, sizeof(l));
    ckw_raw(w, label, l);
    ckw_raw(w, &len, sizeof(len));
    js_hash_init(&w->h);
    js_hash_update(&w->h, label, l);
    js_hash_update(&w->h, &len, sizeof(len));
    w->left = len;
}

/**
 * @brief Writes data of the current block.
 * @param w writer
 * @param p bytes
 * @param n how many
 */
static void ckw_data(struct ck_writer *w, const void *p, size_t n)
{
    JS_ASSERT(n <= w->left);
    ckw_raw(w, p, n);
    js_hash_update(&w->h, p, n);
    w->left -= n;
}

/**
 * @brief Ends the block with its checksum.
 * @param w writer
 */
static void ckw_end(struct ck_writer *w)
{
    JS_ASSERT(w->left == 0);
    uint64_t sum = js_hash_final(&w->h);
    ckw_raw(w, &sum, sizeof(sum));
    w->nblocks++;
}

/**
 * @brief Writes a whole text block.
 * @param w writer
 * @param label label
 * @param text the text
 */
static void ckw_text(struct ck_writer *w, const char *label, const char *text)
{
    size_t n = strlen(text);
    ckw_begin(w, label, n);
    ckw_data(w, text, n);
    ckw_end(w);
}

/** @brief Largest parameter table kept whole in a restart file; larger ones (100,000 places
 * make ~90 MB) keep only their checksum: the output's /config has them anyway. */
#define CK_PARAMS_KEPT (4u << 20)

/** @brief A growing text buffer. */
struct ck_buf {
    char *p;    /**< the bytes */
    size_t n;   /**< used */
    size_t cap; /**< allocated */
};

/**
 * @brief Appends text to a buffer, escaping tabs, newlines and backslashes if asked.
 * @param b the buffer
 * @param s the text
 * @param escape escape it
 */
static void ck_put(struct ck_buf *b, const char *s, bool escape)
{
    size_t need = b->n + 2 * strlen(s) + 2;
    if (need > b->cap) {
        b->cap = need * 2;
        b->p = js_xrealloc(b->p, b->cap);
    }
    for (; *s; s++) {
        char c = *s;
        if (escape && (c == '\\' || c == '\n' || c == '\t')) {
            b->p[b->n++] = '\\';
            c = c == '\n' ? 'n' : c == '\t' ? 't' : '\\';
        }
        b->p[b->n++] = c;
    }
    b->p[b->n] = '\0';
}

/**
 * @brief Appends one parameter as a line: key, value, unit, source.
 * @param b the buffer
 * @param r the parameter
 */
static void ck_put_record(struct ck_buf *b, const struct js_param_record *r)
{
    ck_put(b, r->key, true);
    ck_put(b, "\t", false);
    ck_put(b, r->value, true);
    ck_put(b, "\t", false);
    ck_put(b, r->unit, true);
    ck_put(b, "\t", false);
    ck_put(b, r->source, true);
    ck_put(b, "\n", false);
}

/**
 * @brief The text of the run block: `key<TAB>value` lines, values escaped.
 * @param r the run
 * @return a malloc'ed string
 */
static char *ck_run_text(const struct js_checkpoint_run *r)
{
    struct ck_buf b = {NULL, 0, 0};
    ck_put(&b, "scenario\t", false);
    ck_put(&b, r->scenario, true);
    for (int i = 0; i < r->nsets; i++) {
        ck_put(&b, "\nset\t", false);
        ck_put(&b, r->sets[i], true);
    }
    ck_put(&b, "\noutput\t", false);
    ck_put(&b, r->output, true);
    char num[512];
    snprintf(num, sizeof(num),
             "\nseed_given\t%d\nseed\t%" PRIu32 "\nrun_index_given\t%d\nrun_index\t%" PRIu32
             "\nday\t%" PRId32 "\noutput_rows\t%" PRId64 "\noutput_events\t%" PRId64
             "\nwall_seconds\t%.17g\nrestarts\t%" PRId32 "\ncheckpoint_every\t%" PRId32
             "\ncheckpoint_hours\t%.17g\n",
             (int)r->seed_given, r->seed, (int)r->run_index_given, r->run_index, r->day,
             r->output_rows, r->output_events, r->wall_seconds, r->restarts, r->checkpoint_every,
             r->checkpoint_hours);
    ck_put(&b, num, false);
    return b.p;
}

/**
 * @brief The params block: a line "parameters COUNT CHECKSUM", then the table (one parameter a
 * line) when it is at most CK_PARAMS_KEPT bytes.
 * @param sc the scenario
 * @return a malloc'ed string
 */
static char *ck_params_text(const struct js_scenario *sc)
{
    struct ck_buf line = {NULL, 0, 0}, all = {NULL, 0, 0};
    struct js_hash h;
    js_hash_init(&h);
    size_t size = 0;
    for (size_t i = 0; i < sc->nrecords; i++) {
        line.n = 0;
        ck_put_record(&line, &sc->records[i]);
        js_hash_update(&h, line.p, line.n);
        size += line.n;
    }
    char head[96];
    snprintf(head, sizeof(head), "parameters\t%zu\t%016" PRIx64 "\n", sc->nrecords,
             js_hash_final(&h));
    ck_put(&all, head, false);
    for (size_t i = 0; size <= CK_PARAMS_KEPT && i < sc->nrecords; i++)
        ck_put_record(&all, &sc->records[i]);
    free(line.p);
    return all.p;
}

/** @brief Visitor: writes one state array as a block. */
static void ckw_state(void *ctx, const struct js_state_array *a)
{
    struct ck_writer *w = ctx;
    char label[CK_MAX_LABEL + 1];
    snprintf(label, sizeof(label), "state:%s", a->name);
    uint64_t elem = a->elem_size, count = (uint64_t)a->count;
    ckw_begin(w, label, 16 + elem * count);
    ckw_data(w, &elem, sizeof(elem));
    ckw_data(w, &count, sizeof(count));
    if (elem * count > 0)
        ckw_data(w, *a->data, (size_t)(elem * count));
    ckw_end(w);
}

/**
 * @brief Copies the output file into an `output` block.
 * @param w writer
 * @param path the file
 * @return 0, or -1 (errno set)
 */
static int ckw_output(struct ck_writer *w, const char *path)
{
    FILE *in = fopen(path, "rb");
    struct stat st;
    if (!in || fstat(fileno(in), &st) != 0) {
        if (in)
            fclose(in);
        return -1;
    }
    ckw_begin(w, "output", (uint64_t)st.st_size);
    unsigned char *buf = js_xmalloc(CK_CHUNK);
    uint64_t left = (uint64_t)st.st_size;
    int rc = 0;
    while (left > 0 && rc == 0) {
        size_t n = fread(buf, 1, left < CK_CHUNK ? (size_t)left : CK_CHUNK, in);
        if (n == 0) {
            rc = -1;
            errno = EIO;
            break;
        }
        ckw_data(w, buf, n);
        left -= n;
    }
    free(buf);
    fclose(in);
    if (rc == 0)
        ckw_end(w);
    return rc;
}

/**
 * @brief Writes every block to an open file.
 * @param w writer
 * @param run run block
 * @param sc scenario
 * @param world the world
 * @param output_file output to copy, or NULL
 * @return 0, or -1 (errno set)
 */
static int ckw_all(struct ck_writer *w, const struct js_checkpoint_run *run,
                   const struct js_scenario *sc, struct js_world *world, const char *output_file)
{
    uint32_t format = CK_FORMAT, order = CK_BYTE_ORDER;
    ckw_raw(w, ck_magic, sizeof(ck_magic));
    ckw_raw(w, &format, sizeof(format));
    ckw_raw(w, &order, sizeof(order));
    ckw_text(w, "version", "jinsong " JS_VERSION " (git " JS_GIT_REVISION ")");
    char *text = ck_run_text(run);
    ckw_text(w, "run", text);
    free(text);
    text = ck_params_text(sc);
    ckw_text(w, "params", text);
    free(text);
    js_world_visit_state(world, ckw_state, w);
    if (output_file && ckw_output(w, output_file) != 0)
        return -1;
    uint64_t end[2] = {(uint64_t)w->nblocks, w->offset};
    ckw_begin(w, "end", sizeof(end));
    ckw_data(w, end, sizeof(end));
    ckw_end(w);
    if (w->failed) {
        errno = w->err;
        return -1;
    }
    return 0;
}

/**
 * @brief Makes @p tmp the restart file, keeping the current one as `.prev`. A hard link keeps
 * `restart.jsr` in place until the rename replaces it.
 * @param dir folder
 * @param tmp the new file
 * @return 0, or -1 (errno set)
 */
static int ck_rotate(const char *dir, const char *tmp)
{
    char *path = js_checkpoint_path(dir);
    char *prev = js_xasprintf("%s.prev", path);
    char *prevtmp = js_xasprintf("%s.prev.%ld.tmp", path, (long)getpid());
    int rc = 0;
    if (js_path_exists(path)) {
        unlink(prevtmp);
        if (link(path, prevtmp) == 0)
            rc = rename(prevtmp, prev);
        else
            rc = rename(path, prev);
    }
    if (rc == 0)
        rc = rename(tmp, path);
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(path);
    free(prev);
    free(prevtmp);
    return rc;
}

char *js_checkpoint_path(const char *dir)
{
    return js_path_join(dir, JS_CHECKPOINT_FILE);
}

int js_checkpoint_write(const char *dir, const struct js_checkpoint_run *run,
                        const struct js_scenario *sc, struct js_world *w, const char *output_file,
                        char *err, size_t errlen)
{
    char *path = js_checkpoint_path(dir);
    char *tmp = js_xasprintf("%s.%ld.tmp", path, (long)getpid());
    struct ck_writer wr;
    memset(&wr, 0, sizeof(wr));
    wr.f = fopen(tmp, "wb");
    int rc = wr.f ? ckw_all(&wr, run, sc, w, output_file) : -1;
    int saved = errno;
    if (wr.f) {
        if (rc == 0 && (fflush(wr.f) != 0 || fsync(fileno(wr.f)) != 0)) {
            rc = -1;
            saved = errno;
        }
        if (fclose(wr.f) != 0 && rc == 0) {
            rc = -1;
            saved = errno;
        }
    }
    if (rc == 0 && ck_rotate(dir, tmp) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        snprintf(err, errlen, "cannot write the restart file %s: %s", path, strerror(saved));
    }
    free(tmp);
    free(path);
    return rc;
}

/* ---------------------------------------------------------------- reading */

/** @brief A block found in a restart file. */
struct ck_block {
    char *label;  /**< its label */
    long offset;  /**< where its data starts */
    uint64_t len; /**< bytes of data */
    bool used;    /**< restored */
};

struct js_checkpoint {
    char *path;                   /**< the file */
    FILE *f;                      /**< open for reading */
    struct ck_block *blocks;      /**< its blocks (the end marker included) */
    int n;                        /**< how many */
    struct js_checkpoint_run run; /**< the run block */
    char *params;                 /**< the params block */
};

/**
 * @brief Reads exactly @p n bytes.
 * @return 0, or -1 at the end of the file
 */
static int ck_read(FILE *f, void *p, size_t n)
{
    return n == 0 || fread(p, 1, n, f) == n ? 0 : -1;
}

/**
 * @brief The block with a label, or NULL.
 * @param ck the file
 * @param label label
 */
static struct ck_block *ck_find(const struct js_checkpoint *ck, const char *label)
{
    for (int i = 0; i < ck->n; i++)
        if (!strcmp(ck->blocks[i].label, label))
            return &ck->blocks[i];
    return NULL;
}

/**
 * @brief Reads a block's whole data (text blocks), NUL-terminated.
 * @param ck the file
 * @param b the block
 * @return a malloc'ed buffer, or NULL
 */
static char *ck_block_text(const struct js_checkpoint *ck, const struct ck_block *b)
{
    char *s = js_xmalloc((size_t)b->len + 1);
    if (fseek(ck->f, b->offset, SEEK_SET) != 0 || ck_read(ck->f, s, (size_t)b->len) != 0) {
        free(s);
        return NULL;
    }
    s[b->len] = '\0';
    return s;
}

/**
 * @brief Reads the data of one block while checking its checksum; records it.
 * @param ck the file
 * @param size the file's size
 * @param label_len length of the label (already read)
 * @param why out: what is wrong
 * @return 0, 1 at the end marker, -1 if truncated or damaged
 */
static int ck_scan_block(struct js_checkpoint *ck, long size, uint32_t label_len, const char **why)
{
    char label[CK_MAX_LABEL + 1];
    uint64_t len, sum;
    if (label_len > CK_MAX_LABEL || ck_read(ck->f, label, label_len) != 0 ||
        ck_read(ck->f, &len, sizeof(len)) != 0) {
        *why = "a block header is damaged or cut short";
        return -1;
    }
    label[label_len] = '\0';
    long offset = ftell(ck->f);
    if ((uint64_t)(size - offset) < len + sizeof(sum)) {
        *why = "it is cut short";
        return -1;
    }
    struct js_hash h;
    js_hash_init(&h);
    js_hash_update(&h, label, label_len);
    js_hash_update(&h, &len, sizeof(len));
    unsigned char *buf = js_xmalloc(CK_CHUNK);
    for (uint64_t left = len; left > 0;) {
        size_t n = left < CK_CHUNK ? (size_t)left : CK_CHUNK;
        if (ck_read(ck->f, buf, n) != 0)
            break;
        js_hash_update(&h, buf, n);
        left -= n;
    }
    free(buf);
    if (ck_read(ck->f, &sum, sizeof(sum)) != 0 || sum != js_hash_final(&h)) {
        *why = "a block's checksum does not match (the file is damaged)";
        return -1;
    }
    ck->blocks = js_xrealloc(ck->blocks, (size_t)(ck->n + 1) * sizeof(*ck->blocks));
    ck->blocks[ck->n++] = (struct ck_block){js_xstrdup(label), offset, len, false};
    return strcmp(label, "end") == 0 ? 1 : 0;
}

/**
 * @brief Reads the header and every block up to the end marker.
 * @param ck the file
 * @param why out: what is wrong
 * @return 0, or -1
 */
static int ck_scan(struct js_checkpoint *ck, const char **why)
{
    char magic[16];
    uint32_t format, order;
    if (fseek(ck->f, 0, SEEK_END) != 0) {
        *why = "it cannot be read";
        return -1;
    }
    long size = ftell(ck->f);
    rewind(ck->f);
    if (ck_read(ck->f, magic, sizeof(magic)) != 0 || memcmp(magic, ck_magic, sizeof(magic)) != 0) {
        *why = "it is not a jinsong restart file (no signature)";
        return -1;
    }
    if (ck_read(ck->f, &format, sizeof(format)) != 0 || ck_read(ck->f, &order, 4) != 0 ||
        format != CK_FORMAT || order != CK_BYTE_ORDER) {
        *why = "its layout version or byte order is not this program's";
        return -1;
    }
    for (;;) {
        uint32_t label_len;
        if (ck_read(ck->f, &label_len, sizeof(label_len)) != 0) {
            *why = "it is cut short (no end marker)";
            return -1;
        }
        int r = ck_scan_block(ck, size, label_len, why);
        if (r < 0)
            return -1;
        if (r == 1)
            break;
    }
    uint64_t end[2];
    const struct ck_block *e = &ck->blocks[ck->n - 1];
    if (e->len != sizeof(end) || fseek(ck->f, e->offset, SEEK_SET) != 0 ||
        ck_read(ck->f, end, sizeof(end)) != 0 || end[0] != (uint64_t)(ck->n - 1)) {
        *why = "its end marker does not match its blocks";
        return -1;
    }
    if (ftell(ck->f) + (long)sizeof(uint64_t) != size) {
        *why = "there are bytes after its end marker";
        return -1;
    }
    return 0;
}

/**
 * @brief Undoes ck_escape in place.
 * @param s the text
 */
static void ck_unescape(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *o++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
}

/**
 * @brief Parses the run block.
 * @param text its text (modified)
 * @param r out
 * @return 0, or -1 if a line is malformed
 */
static int ck_parse_run(char *text, struct js_checkpoint_run *r)
{
    memset(r, 0, sizeof(*r));
    int count = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *tab = strchr(line, '\t');
        if (!tab)
            return -1;
        *tab = '\0';
        char *v = tab + 1;
        ck_unescape(v);
        count++;
        if (!strcmp(line, "scenario")) {
            r->scenario = js_xstrdup(v);
        } else if (!strcmp(line, "set")) {
            count--;
            r->sets = js_xrealloc(r->sets, (size_t)(r->nsets + 1) * sizeof(char *));
            r->sets[r->nsets++] = js_xstrdup(v);
        } else if (!strcmp(line, "output")) {
            r->output = js_xstrdup(v);
        } else if (!strcmp(line, "seed_given")) {
            r->seed_given = atoi(v) != 0;
        } else if (!strcmp(line, "seed")) {
            r->seed = (uint32_t)strtoul(v, NULL, 10);
        } else if (!strcmp(line, "run_index_given")) {
            r->run_index_given = atoi(v) != 0;
        } else if (!strcmp(line, "run_index")) {
            r->run_index = (uint32_t)strtoul(v, NULL, 10);
        } else if (!strcmp(line, "day")) {
            r->day = (int32_t)strtol(v, NULL, 10);
        } else if (!strcmp(line, "output_rows")) {
            r->output_rows = strtoll(v, NULL, 10);
        } else if (!strcmp(line, "output_events")) {
            r->output_events = strtoll(v, NULL, 10);
        } else if (!strcmp(line, "wall_seconds")) {
            r->wall_seconds = strtod(v, NULL);
        } else if (!strcmp(line, "restarts")) {
            r->restarts = (int32_t)strtol(v, NULL, 10);
        } else if (!strcmp(line, "checkpoint_every")) {
            r->checkpoint_every = (int32_t)strtol(v, NULL, 10);
        } else if (!strcmp(line, "checkpoint_hours")) {
            r->checkpoint_hours = strtod(v, NULL);
        } else {
            count--;
        }
    }
    return r->scenario && r->output && count == 13 ? 0 : -1;
}

/**
 * @brief Checks the version block and reads the run and params blocks.
 * @param ck the file
 * @param d errors
 * @return 0, or -1
 */
static int ck_read_meta(struct js_checkpoint *ck, struct js_diag *d)
{
    const struct ck_block *vb = ck_find(ck, "version"), *rb = ck_find(ck, "run"),
                          *pb = ck_find(ck, "params");
    if (!vb || !rb || !pb) {
        js_diag_add(d, ck->path, 0, 0, NULL, "start the run afresh",
                    "restart file lacks its version, run or params block");
        return -1;
    }
    char *version = ck_block_text(ck, vb);
    const char *mine = "jinsong " JS_VERSION " (git " JS_GIT_REVISION ")";
    if (!version || strcmp(version, mine) != 0) {
        js_diag_add(d, ck->path, 0, 0, NULL,
                    "restart with the program that wrote it, or start the run afresh",
                    "restart file written by %s; this is %s", version ? version : "?", mine);
        free(version);
        return -1;
    }
    free(version);
    char *run = ck_block_text(ck, rb);
    int rc = run ? ck_parse_run(run, &ck->run) : -1;
    free(run);
    ck->params = ck_block_text(ck, pb);
    if (rc != 0 || !ck->params) {
        js_diag_add(d, ck->path, 0, 0, NULL, "start the run afresh",
                    "restart file has a malformed run block");
        return -1;
    }
    return 0;
}

int js_checkpoint_open(struct js_checkpoint **out, const char *dir, struct js_diag *d)
{
    *out = NULL;
    struct js_checkpoint *ck = js_xcalloc(1, sizeof(*ck));
    ck->path = js_checkpoint_path(dir);
    ck->f = fopen(ck->path, "rb");
    if (!ck->f) {
        js_diag_add(d, ck->path, 0, 0, NULL,
                    "give the folder of --checkpoint-dir of a run that wrote restart files",
                    "cannot read the restart file: %s", strerror(errno));
        js_checkpoint_close(ck);
        return -1;
    }
    const char *why = NULL;
    if (ck_scan(ck, &why) != 0) {
        char *hint = js_xasprintf("copy %s.prev over it to go back one restart file, or start "
                                  "the run afresh",
                                  ck->path);
        js_diag_add(d, ck->path, 0, 0, NULL, hint, "restart file refused: %s", why);
        free(hint);
        js_checkpoint_close(ck);
        return -1;
    }
    if (ck_read_meta(ck, d) != 0) {
        js_checkpoint_close(ck);
        return -1;
    }
    *out = ck;
    return 0;
}

const struct js_checkpoint_run *js_checkpoint_run_info(const struct js_checkpoint *ck)
{
    return &ck->run;
}

/**
 * @brief The first line that differs between two parameter tables, split into its columns.
 * @param a first table
 * @param b second table
 * @param la out: the line of @p a (malloc'ed, "" at the end)
 * @param lb out: the line of @p b
 */
static void ck_first_difference(const char *a, const char *b, char **la, char **lb)
{
    while (*a && *b) {
        size_t na = strcspn(a, "\n"), nb = strcspn(b, "\n");
        if (na != nb || memcmp(a, b, na) != 0)
            break;
        a += na + (a[na] ? 1 : 0);
        b += nb + (b[nb] ? 1 : 0);
    }
    size_t na = strcspn(a, "\n"), nb = strcspn(b, "\n");
    *la = js_xmalloc(na + 1);
    *lb = js_xmalloc(nb + 1);
    memcpy(*la, a, na);
    memcpy(*lb, b, nb);
    (*la)[na] = (*lb)[nb] = '\0';
    for (char *p = *la; *p; p++)
        *p = *p == '\t' ? ' ' : *p;
    for (char *p = *lb; *p; p++)
        *p = *p == '\t' ? ' ' : *p;
}

int js_checkpoint_check_params(const struct js_checkpoint *ck, const struct js_scenario *sc,
                               struct js_diag *d)
{
    char *now = ck_params_text(sc);
    size_t head_was = strcspn(ck->params, "\n"), head_now = strcspn(now, "\n");
    int rc = 0;
    if (head_was != head_now || memcmp(ck->params, now, head_now) != 0) {
        char *was = NULL, *is = NULL;
        bool kept_was = ck->params[head_was] && ck->params[head_was + 1];
        bool kept_now = now[head_now] && now[head_now + 1];
        if (kept_was && kept_now)
            ck_first_difference(ck->params + head_was + 1, now + head_now + 1, &was, &is);
        js_diag_add(d, ck->path, 0, 0, NULL,
                    "restore the scenario the run started with, or start the run afresh",
                    "the scenario %s has changed since the restart file was written: the run used "
                    "[%s], the scenario now gives [%s] (key value unit source)",
                    ck->run.scenario,
                    was ? (was[0] ? was : "nothing") : "a parameter table of another checksum",
                    is ? (is[0] ? is : "nothing") : "this one (compare with the output's /config)");
        free(was);
        free(is);
        rc = -1;
    }
    free(now);
    return rc;
}

/** @brief State of the restoring visitor. */
struct ck_restore {
    struct js_checkpoint *ck; /**< the file */
    struct js_diag *d;        /**< errors */
    int failed;               /**< an error was recorded */
};

/**
 * @brief Records a restore error (the first only).
 * @param r restorer
 * @param name the array
 * @param what what is wrong
 */
static void ck_restore_fail(struct ck_restore *r, const char *name, const char *what)
{
    if (!r->failed)
        js_diag_add(r->d, r->ck->path, 0, 0, NULL,
                    "restart with the program that wrote it, or start the run afresh",
                    "restart file does not fit this program's state: %s %s", name, what);
    r->failed = 1;
}

/** @brief Visitor: fills one state array from its block. */
static void ck_restore_array(void *ctx, const struct js_state_array *a)
{
    struct ck_restore *r = ctx;
    if (r->failed)
        return;
    char label[CK_MAX_LABEL + 1];
    snprintf(label, sizeof(label), "state:%s", a->name);
    struct ck_block *b = ck_find(r->ck, label);
    uint64_t head[2];
    if (!b || b->len < sizeof(head) || fseek(r->ck->f, b->offset, SEEK_SET) != 0 ||
        ck_read(r->ck->f, head, sizeof(head)) != 0) {
        ck_restore_fail(r, a->name, "is missing");
        return;
    }
    b->used = true;
    uint64_t elem = head[0], count = head[1];
    if (elem != a->elem_size || b->len != sizeof(head) + elem * count) {
        ck_restore_fail(r, a->name, "has another element size");
        return;
    }
    if (!a->countp && count != (uint64_t)a->count) {
        ck_restore_fail(r, a->name, "has another number of elements");
        return;
    }
    if (a->countp && a->reserve) {
        a->reserve(a->owner, (int64_t)count);
        *a->countp = (int64_t)count;
    } else if (a->countp) {
        if ((int64_t)count > *a->capp) {
            *a->data = js_xrealloc(*a->data, (size_t)(elem * count));
            *a->capp = (int64_t)count;
        }
        *a->countp = (int64_t)count;
    }
    if (elem * count > 0 && ck_read(r->ck->f, *a->data, (size_t)(elem * count)) != 0)
        ck_restore_fail(r, a->name, "cannot be read");
}

int js_checkpoint_restore_world(struct js_checkpoint *ck, struct js_world *w, struct js_diag *d)
{
    struct ck_restore r = {ck, d, 0};
    js_world_visit_state(w, ck_restore_array, &r);
    for (int i = 0; i < ck->n && !r.failed; i++)
        if (!strncmp(ck->blocks[i].label, "state:", 6) && !ck->blocks[i].used)
            ck_restore_fail(&r, ck->blocks[i].label + 6, "is unknown to this program");
    if (r.failed)
        return -1;
    js_graph_invalidate(&w->graph, &w->routes, &w->graph_params);
    return 0;
}

int js_checkpoint_restore_output(struct js_checkpoint *ck, const char *path, struct js_diag *d)
{
    const struct ck_block *b = ck_find(ck, "output");
    if (!b) {
        js_diag_add(d, ck->path, 0, 0, NULL, "start the run afresh",
                    "restart file holds no output to continue");
        return -1;
    }
    FILE *out = fopen(path, "wb");
    int rc = out && fseek(ck->f, b->offset, SEEK_SET) == 0 ? 0 : -1;
    unsigned char *buf = js_xmalloc(CK_CHUNK);
    for (uint64_t left = b->len; left > 0 && rc == 0;) {
        size_t n = left < CK_CHUNK ? (size_t)left : CK_CHUNK;
        if (ck_read(ck->f, buf, n) != 0 || fwrite(buf, 1, n, out) != n)
            rc = -1;
        left -= n;
    }
    free(buf);
    int saved = errno;
    if (out && fclose(out) != 0)
        rc = -1;
    if (rc != 0) {
        js_diag_add(d, path, 0, 0, NULL, "check the free space and the permissions",
                    "cannot write the output to continue: %s", strerror(saved ? saved : EIO));
        unlink(path);
    }
    return rc;
}

void js_checkpoint_run_free(struct js_checkpoint_run *run)
{
    free(run->scenario);
    for (int i = 0; i < run->nsets; i++)
        free(run->sets[i]);
    free(run->sets);
    free(run->output);
    memset(run, 0, sizeof(*run));
}

void js_checkpoint_close(struct js_checkpoint *ck)
{
    if (!ck)
        return;
    if (ck->f)
        fclose(ck->f);
    for (int i = 0; i < ck->n; i++)
        free(ck->blocks[i].label);
    free(ck->blocks);
    js_checkpoint_run_free(&ck->run);
    free(ck->params);
    free(ck->path);
    free(ck);
}
