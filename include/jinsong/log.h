/**
 * @file log.h
 * @brief Messages to the user and internal invariants (JS_ASSERT).
 *
 * Messages go to stderr. `--quiet` silences informational messages; errors are
 * always printed. JS_ASSERT is for invariants a user cannot cause: it prints the
 * source location and aborts.
 */
#ifndef JS_LOG_H
#define JS_LOG_H

/* system headers */
#include <stdbool.h>
#include <stdnoreturn.h>

/** @brief Aborts with the failed condition and its source location if @p cond is false. */
#define JS_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond))                                                                               \
            js_log_assert_fail(#cond, __FILE__, __LINE__, __func__);                               \
    } while (0)

/**
 * @brief Reports a failed invariant and aborts the process.
 * @param cond the condition's text
 * @param file source file
 * @param line source line
 * @param func function name
 */
noreturn void js_log_assert_fail(const char *cond, const char *file, int line, const char *func);

/**
 * @brief Silences (or restores) informational messages.
 * @param quiet true to print errors only
 */
void js_log_set_quiet(bool quiet);

/** @brief True when informational messages are silenced. */
bool js_log_quiet(void);

/**
 * @brief Prints an informational message on stderr (unless quiet), with a newline.
 * @param fmt printf format
 */
void js_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * @brief Prints a warning on stderr ("jinsong: warning: ...") unless quiet.
 * @param fmt printf format
 */
void js_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * @brief Prints an error on stderr ("jinsong: error: ..."), always.
 * @param fmt printf format
 */
void js_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* JS_LOG_H */
