/**
 * @file flee_csv.c
 * @brief FLEE's CSV files, read strictly where it matters and tolerantly where the shipped
 * files vary: CR LF line ends, a byte order mark, quoted fields, spaces around fields (a
 * header written "#Day, Kidal, Gao"), empty fields and empty rows. Every error names the file,
 * line and column.
 */

/* system headers */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* local headers */
#include "flee_internal.h"
#include "jinsong/util.h"

/** @brief Largest FLEE input file read (the largest shipped one is under 100 kB). */
#define FLEE_MAX_FILE (64L << 20)

char *flee_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    return js_xasprintf("%s%s%s", dir, n && dir[n - 1] != '/' ? "/" : "", name);
}

/**
 * @brief Reads a whole file into a NUL-terminated buffer.
 * @param path the file
 * @param len out: its length
 * @return the text, or NULL (errno set)
 */
static char *flee_slurp(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (*len = ftell(f)) >= 0 && *len <= FLEE_MAX_FILE &&
        fseek(f, 0, SEEK_SET) == 0) {
        buf = js_xmalloc((size_t)*len + 1);
        if (fread(buf, 1, (size_t)*len, f) != (size_t)*len) {
            free(buf);
            buf = NULL;
        } else {
            buf[*len] = '\0';
        }
    } else if (*len > FLEE_MAX_FILE) {
        errno = EFBIG;
    }
    fclose(f);
    return buf;
}

/** @brief A row being built. */
struct flee_rowbuf {
    struct flee_row r; /**< the row */
    int cap;           /**< allocated fields */
};

/**
 * @brief Appends a field to a row, trimmed of spaces and tabs.
 * @param b the row
 * @param text the field's text (not NUL-terminated)
 * @param len its length
 * @param col its column
 */
static void flee_add_field(struct flee_rowbuf *b, const char *text, size_t len, int col)
{
    if (b->r.nf == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 16;
        b->r.f = js_xrealloc(b->r.f, (size_t)b->cap * sizeof(char *));
        b->r.col = js_xrealloc(b->r.col, (size_t)b->cap * sizeof(int));
    }
    while (len > 0 && (*text == ' ' || *text == '\t')) {
        text++;
        len--;
        col++;
    }
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    char *s = js_xmalloc(len + 1);
    memcpy(s, text, len);
    s[len] = '\0';
    b->r.f[b->r.nf] = s;
    b->r.col[b->r.nf++] = col;
}

/**
 * @brief Reads one field starting at @p p (quoted or not), up to a comma or the line's end.
 * @param p where it starts
 * @param line_start the start of its line (for columns)
 * @param b the row
 * @param scratch room for an unquoted copy
 * @return where reading stops (at ',' '\r' '\n' or NUL)
 */
static const char *flee_read_field(const char *p, const char *line_start, struct flee_rowbuf *b,
                                   char *scratch)
{
    const char *q = p;
    while (*q == ' ' || *q == '\t')
        q++;
    int col = (int)(p - line_start) + 1;
    if (*q != '"') {
        const char *e = p;
        while (*e && *e != ',' && *e != '\n' && *e != '\r')
            e++;
        flee_add_field(b, p, (size_t)(e - p), col);
        return e;
    }
    size_t n = 0; /* a quoted field: "" is a quote; the text after the closing quote is kept */
    for (q++; *q; q++) {
        if (*q == '"' && q[1] == '"') {
            scratch[n++] = '"';
            q++;
        } else if (*q == '"') {
            q++;
            break;
        } else {
            scratch[n++] = *q;
        }
    }
    while (*q && *q != ',' && *q != '\n' && *q != '\r')
        scratch[n++] = *q++;
    flee_add_field(b, scratch, n, (int)(strchr(p, '"') - line_start) + 2);
    return q;
}

/**
 * @brief Splits the text into rows and fields.
 * @param text the file's text
 * @param len its length
 * @param csv out
 */
static void flee_split(const char *text, long len, struct flee_csv *csv)
{
    char *scratch = js_xmalloc((size_t)len + 1);
    int cap = 0, line = 1;
    const char *p = text;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3;
    const char *line_start = p;
    while (*p) {
        struct flee_rowbuf b = {{line, 0, NULL, NULL, false}, 0};
        for (;;) {
            p = flee_read_field(p, line_start, &b, scratch);
            if (*p != ',')
                break;
            p++;
        }
        bool empty = true;
        for (int k = 0; k < b.r.nf && empty; k++)
            empty = b.r.f[k][0] == '\0';
        if (empty) {
            for (int k = 0; k < b.r.nf; k++)
                free(b.r.f[k]);
            free(b.r.f);
            free(b.r.col);
        } else {
            b.r.hash = b.r.f[0][0] == '#';
            if (csv->n == cap) {
                cap = cap ? 2 * cap : 64;
                csv->rows = js_xrealloc(csv->rows, (size_t)cap * sizeof(*csv->rows));
            }
            csv->rows[csv->n++] = b.r;
        }
        if (*p == '\r')
            p++;
        if (*p == '\n')
            p++;
        line++;
        line_start = p;
    }
    free(scratch);
}

int flee_csv_read(const char *path, const char *shown, struct flee_csv *csv, bool required,
                  struct js_diag *d)
{
    memset(csv, 0, sizeof(*csv));
    csv->path = js_xstrdup(shown);
    long len = 0;
    char *text = flee_slurp(path, &len);
    if (!text) {
        if (errno == ENOENT && !required)
            return 1;
        js_diag_add(d, shown, 0, 0, NULL,
                    errno == ENOENT ? "check the scenario folder: FLEE scenarios hold input_csv/ "
                                      "and source_data/"
                                    : NULL,
                    "cannot read the file: %s", strerror(errno));
        return -1;
    }
    if (memchr(text, '\0', (size_t)len)) {
        js_diag_add(d, shown, 0, 0, NULL, "give a CSV text file", "the file holds NUL bytes");
        free(text);
        return -1;
    }
    flee_split(text, len, csv);
    free(text);
    return 0;
}

void flee_csv_free(struct flee_csv *csv)
{
    for (int i = 0; i < csv->n; i++) {
        for (int k = 0; k < csv->rows[i].nf; k++)
            free(csv->rows[i].f[k]);
        free(csv->rows[i].f);
        free(csv->rows[i].col);
    }
    free(csv->rows);
    free(csv->path);
    memset(csv, 0, sizeof(*csv));
}

void flee_err(struct js_diag *d, const struct flee_csv *csv, const struct flee_row *r, int k,
              const char *hint, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    int col = k < r->nf ? r->col[k] : (r->nf ? r->col[r->nf - 1] : 1);
    js_diag_add(d, csv->path, r->line, col, NULL, hint, "%s", msg);
}

const char *flee_field(const struct flee_row *r, int k)
{
    return k < r->nf ? r->f[k] : "";
}

bool flee_number(struct js_diag *d, const struct flee_csv *csv, const struct flee_row *r, int k,
                 const char *what, double *out)
{
    const char *s = flee_field(r, k);
    char *end = NULL;
    errno = 0;
    double v = s[0] ? strtod(s, &end) : 0.0;
    if (!s[0] || *end || !isfinite(v) || strpbrk(s, "xXpP") || isspace((unsigned char)s[0])) {
        flee_err(d, csv, r, k, "write a plain number", "%s: expected a number, got \"%s\"", what,
                 s);
        return false;
    }
    *out = v;
    return true;
}

bool flee_date(struct js_diag *d, const struct flee_csv *csv, const struct flee_row *r, int k,
               struct js_date *out)
{
    const char *s = flee_field(r, k);
    if (js_calendar_parse(s, out) != 0 || !js_calendar_valid(JS_CAL_GREGORIAN, *out)) {
        flee_err(d, csv, r, k, "write the date as YYYY-MM-DD",
                 "expected a date YYYY-MM-DD, got \"%s\"", s);
        return false;
    }
    return true;
}
