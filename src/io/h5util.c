/**
 * @file h5util.c
 * @brief Checked helpers over the HDF5 C API.
 */

/* system headers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* HDF5 */
#include <hdf5_hl.h>

/* local headers */
#include "jinsong/h5util.h"
#include "jinsong/log.h"

/* The message of the last failure. Output runs on one thread only; this is I/O
 * bookkeeping, not model state. */
static char h5_error[1024];

void js_h5_quiet(void)
{
    /* After a failed H5Fclose (full disk), HDF5 1.10's own clean-up at exit crashes on the
     * half-closed file: let the process end without it (every object is closed or abandoned
     * on purpose by then). Must come before any other HDF5 call. */
    H5dont_atexit();
    if (!getenv("JS_H5_DEBUG"))
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

const char *js_h5_last_error(void)
{
    return h5_error;
}

/** @brief H5Ewalk2 callback keeping the innermost description, or the one naming errno. */
static herr_t h5_walk(unsigned n, const H5E_error2_t *err, void *data)
{
    (void)n;
    char *buf = data;
    if (strstr(buf, "error message = '"))
        return 0; /* a system error found deeper down says the most */
    if (err->desc && err->desc[0])
        snprintf(buf, 512, "%s", err->desc);
    return 0;
}

int js_h5_fail(const char *what)
{
    char inner[512] = "";
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, h5_walk, inner);
    H5Eclear2(H5E_DEFAULT);
    /* The innermost description of a failed write names errno; keep it short. */
    char *em = strstr(inner, "error message = '");
    if (em) {
        em += strlen("error message = '");
        char *end = strchr(em, '\'');
        if (end)
            *end = '\0';
        memmove(inner, em, strlen(em) + 1);
    }
    snprintf(h5_error, sizeof(h5_error), "%s%s%s", what, inner[0] ? ": " : "", inner);
    return -1;
}

/**
 * @brief Writes a scalar attribute of a given type.
 */
static int h5_attr(hid_t obj, const char *name, hid_t type, const void *value)
{
    if (H5Aexists(obj, name) > 0)
        H5Adelete(obj, name);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
    int rc = 0;
    if (a < 0 || H5Awrite(a, type, value) < 0)
        rc = js_h5_fail(name);
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    return rc;
}

int js_h5_attr_str(hid_t obj, const char *name, const char *value)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(value) + 1);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    H5Tset_cset(t, H5T_CSET_UTF8);
    int rc = h5_attr(obj, name, t, value);
    H5Tclose(t);
    return rc;
}

int js_h5_attr_double(hid_t obj, const char *name, double value)
{
    return h5_attr(obj, name, H5T_NATIVE_DOUBLE, &value);
}

int js_h5_attr_i64(hid_t obj, const char *name, int64_t value)
{
    return h5_attr(obj, name, H5T_NATIVE_INT64, &value);
}

int js_h5_attr_u32(hid_t obj, const char *name, uint32_t value)
{
    return h5_attr(obj, name, H5T_NATIVE_UINT32, &value);
}

int js_h5_read_attr_str(hid_t obj, const char *name, char *buf, size_t len)
{
    buf[0] = '\0';
    if (H5Aexists(obj, name) <= 0)
        return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    int rc = -1;
    if (H5Tget_class(t) == H5T_STRING) {
        if (H5Tis_variable_str(t) > 0) {
            char *s = NULL;
            hid_t mt = H5Tcopy(H5T_C_S1);
            H5Tset_size(mt, H5T_VARIABLE);
            if (H5Aread(a, mt, &s) >= 0 && s) {
                snprintf(buf, len, "%s", s);
                H5free_memory(s);
                rc = 0;
            }
            H5Tclose(mt);
        } else {
            size_t sz = H5Tget_size(t);
            char *tmp = calloc(sz + 1, 1);
            if (tmp && H5Aread(a, t, tmp) >= 0) {
                snprintf(buf, len, "%s", tmp);
                rc = 0;
            }
            free(tmp);
        }
    }
    H5Tclose(t);
    H5Aclose(a);
    return rc;
}

int js_h5_read_attr_double(hid_t obj, const char *name, double *out)
{
    if (H5Aexists(obj, name) <= 0)
        return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    int rc = H5Aread(a, H5T_NATIVE_DOUBLE, out) < 0 ? -1 : 0;
    H5Aclose(a);
    return rc;
}

hid_t js_h5_group(hid_t parent, const char *name)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_obj_track_times(gcpl, 0);
    hid_t g = H5Gcreate2(parent, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    if (g < 0)
        js_h5_fail(name);
    return g;
}

hid_t js_h5_dataset(hid_t loc, const char *name, hid_t type, int rank, const hsize_t *dims,
                    int extendible, const char *units, const char *long_name)
{
    JS_ASSERT(rank >= 1 && rank <= 3);
    hsize_t cur[3], max[3], chunk[3];
    size_t row_elems = 1;
    for (int i = 0; i < rank; i++) {
        cur[i] = dims[i];
        max[i] = dims[i];
        chunk[i] = dims[i] > 0 ? dims[i] : 1;
        if (i > 0)
            row_elems *= (size_t)chunk[i];
    }
    if (extendible) {
        cur[0] = 0;
        max[0] = H5S_UNLIMITED;
        /* About 1 MiB per chunk along time, at least one row, at most 512 rows. */
        size_t row_bytes = row_elems * H5Tget_size(type);
        hsize_t rows = (hsize_t)(1048576 / (row_bytes ? row_bytes : 1));
        chunk[0] = rows < 1 ? 1 : rows > 512 ? 512 : rows;
    } else if (rank == 1 && chunk[0] > 65536) {
        chunk[0] = 65536;
    }
    hid_t sp = H5Screate_simple(rank, cur, max);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_chunk(dcpl, rank, chunk);
    /* HDF5 refuses filters on variable-length data (the strings' heap is not filtered). */
    if (H5Tget_class(type) != H5T_STRING || H5Tis_variable_str(type) <= 0) {
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, 4);
        H5Pset_fletcher32(dcpl);
    }
    hid_t ds = H5Dcreate2(loc, name, type, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Pclose(dcpl);
    H5Sclose(sp);
    if (ds < 0) {
        js_h5_fail(name);
        return ds;
    }
    if ((units && js_h5_attr_str(ds, "units", units) < 0) ||
        (long_name && js_h5_attr_str(ds, "long_name", long_name) < 0)) {
        H5Dclose(ds);
        return -1;
    }
    return ds;
}

int js_h5_append_row(hid_t ds, hid_t memtype, hsize_t row, const void *data, const char *what)
{
    return js_h5_append_rows(ds, memtype, row, 1, data, what);
}

int js_h5_append_rows(hid_t ds, hid_t memtype, hsize_t row, hsize_t nrows, const void *data,
                      const char *what)
{
    hid_t fs = H5Dget_space(ds);
    int rank = H5Sget_simple_extent_ndims(fs);
    hsize_t dims[3], start[3] = {0, 0, 0}, count[3];
    H5Sget_simple_extent_dims(fs, dims, NULL);
    H5Sclose(fs);
    dims[0] = row + nrows;
    if (H5Dset_extent(ds, dims) < 0)
        return js_h5_fail(what);
    fs = H5Dget_space(ds);
    start[0] = row;
    count[0] = nrows;
    for (int i = 1; i < rank; i++)
        count[i] = dims[i];
    int rc = 0;
    hsize_t nelem = nrows;
    for (int i = 1; i < rank; i++)
        nelem *= dims[i];
    if (nelem > 0) {
        hid_t ms = H5Screate_simple(rank, count, NULL);
        if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
            H5Dwrite(ds, memtype, ms, fs, H5P_DEFAULT, data) < 0)
            rc = js_h5_fail(what);
        H5Sclose(ms);
    }
    H5Sclose(fs);
    return rc;
}

int js_h5_write_all(hid_t ds, hid_t memtype, const void *data, const char *what)
{
    hid_t fs = H5Dget_space(ds);
    hssize_t n = H5Sget_simple_extent_npoints(fs);
    H5Sclose(fs);
    if (n <= 0)
        return 0;
    if (H5Dwrite(ds, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        return js_h5_fail(what);
    return 0;
}

hid_t js_h5_vlen_str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

hid_t js_h5_fixed_string_dataset(hid_t loc, const char *name, const char *const *values, hsize_t n,
                                 const char *long_name)
{
    size_t width = 1;
    for (hsize_t i = 0; i < n; i++) {
        size_t l = strlen(values[i]);
        width = l > width ? l : width;
    }
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, width);
    H5Tset_strpad(t, H5T_STR_NULLPAD);
    H5Tset_cset(t, H5T_CSET_UTF8);
    char *buf = calloc((size_t)(n ? n : 1), width);
    JS_ASSERT(buf);
    for (hsize_t i = 0; i < n; i++)
        memcpy(buf + i * width, values[i], strlen(values[i]));
    /* text has no physical unit: "1" (dimensionless, CF) so that every dataset has units */
    hid_t ds = js_h5_dataset(loc, name, t, 1, &n, 0, "1", long_name);
    if (ds >= 0 &&
        (js_h5_write_all(ds, t, buf, name) < 0 || js_h5_attr_str(ds, "_Encoding", "utf-8") < 0)) {
        H5Dclose(ds);
        ds = -1;
    }
    free(buf);
    H5Tclose(t);
    return ds;
}

int js_h5_make_scale(hid_t ds, const char *dim)
{
    if (H5DSset_scale(ds, dim) < 0)
        return js_h5_fail(dim);
    return 0;
}

int js_h5_attach(hid_t ds, hid_t scale, unsigned axis)
{
    if (H5DSattach_scale(ds, scale, axis) < 0)
        return js_h5_fail("attaching a dimension scale");
    return 0;
}
