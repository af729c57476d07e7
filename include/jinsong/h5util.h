/**
 * @file h5util.h
 * @brief Small checked helpers over the HDF5 C API for io/output (attributes, strings,
 * extendible datasets with filters, dimension scales).
 *
 * Every helper returns a negative value on failure after recording the HDF5 error
 * with the object's name; js_h5_last_error() gives the message.
 */
#ifndef JS_H5UTIL_H
#define JS_H5UTIL_H

/* system headers */
#include <stddef.h>
#include <stdint.h>

/* HDF5 */
#include <hdf5.h>

/**
 * @brief Silences HDF5's own error printing (call once).
 */
void js_h5_quiet(void);

/**
 * @brief The last error recorded by a helper ("writing /places/population: No space left ...").
 */
const char *js_h5_last_error(void);

/**
 * @brief Records an error about @p what, with the innermost HDF5 message.
 * @param what the object or action
 * @return -1
 */
int js_h5_fail(const char *what);

/** @brief Writes a string attribute (fixed length, UTF-8, NUL-terminated). */
int js_h5_attr_str(hid_t obj, const char *name, const char *value);
/** @brief Writes a double attribute. */
int js_h5_attr_double(hid_t obj, const char *name, double value);
/** @brief Writes an int64 attribute. */
int js_h5_attr_i64(hid_t obj, const char *name, int64_t value);
/** @brief Writes a uint32 attribute. */
int js_h5_attr_u32(hid_t obj, const char *name, uint32_t value);

/**
 * @brief Reads a string attribute (fixed or variable length) into @p buf.
 * @return 0, or -1 if absent or not a string
 */
int js_h5_read_attr_str(hid_t obj, const char *name, char *buf, size_t len);

/**
 * @brief Reads a numeric attribute as double.
 * @return 0, or -1
 */
int js_h5_read_attr_double(hid_t obj, const char *name, double *out);

/**
 * @brief Creates a group with link and attribute creation order tracked (as netCDF-4 does).
 * @return the group id, or a negative value
 */
hid_t js_h5_group(hid_t parent, const char *name);

/**
 * @brief Creates a dataset: dims[0] unlimited when @p extendible (rows start at 0),
 * chunked, shuffle + deflate + Fletcher-32, no timestamps.
 * @param loc group
 * @param name dataset name
 * @param type HDF5 type
 * @param rank 1..3
 * @param dims current dimensions (dims[0] ignored and set to 0 when extendible)
 * @param extendible first dimension unlimited
 * @param units units attribute
 * @param long_name long_name attribute
 * @return dataset id, or a negative value
 */
hid_t js_h5_dataset(hid_t loc, const char *name, hid_t type, int rank, const hsize_t *dims,
                    int extendible, const char *units, const char *long_name);

/**
 * @brief Appends one row (dims[1..] elements) at row index @p row of an extendible dataset.
 * @return 0, or -1
 */
int js_h5_append_row(hid_t ds, hid_t memtype, hsize_t row, const void *data, const char *what);

/**
 * @brief Appends @p nrows rows (dims[1..] elements each, contiguous) at row index @p row of an
 * extendible dataset: one extent change and one write for all of them.
 * @return 0, or -1
 */
int js_h5_append_rows(hid_t ds, hid_t memtype, hsize_t row, hsize_t nrows, const void *data,
                      const char *what);

/**
 * @brief Writes a whole fixed-size dataset.
 * @return 0, or -1
 */
int js_h5_write_all(hid_t ds, hid_t memtype, const void *data, const char *what);

/**
 * @brief A variable-length UTF-8 string type (caller closes it).
 */
hid_t js_h5_vlen_str_type(void);

/**
 * @brief Creates and writes a 1-D fixed-length string dataset (width = the longest value),
 * compressed, with `_Encoding = "utf-8"` so that xarray decodes it to text. For long tables,
 * where variable-length strings (which HDF5 cannot compress) would bloat the file.
 * @return dataset id, or a negative value
 */
hid_t js_h5_fixed_string_dataset(hid_t loc, const char *name, const char *const *values, hsize_t n,
                                 const char *long_name);

/**
 * @brief Makes @p ds a dimension scale named @p dim.
 * @return 0, or -1
 */
int js_h5_make_scale(hid_t ds, const char *dim);

/**
 * @brief Attaches dimension scale @p scale to axis @p axis of @p ds.
 * @return 0, or -1
 */
int js_h5_attach(hid_t ds, hid_t scale, unsigned axis);

#endif /* JS_H5UTIL_H */
