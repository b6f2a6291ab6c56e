/*
 * cli_text: what the CLI prints from its command line and from a target,
 * made safe for a terminal. An error message echoes what the user typed;
 * a raw CR, LF, escape sequence or bidirectional control in it would forge
 * or hide lines on the console and in CI logs.
 */
#ifndef MCPWIRE_CLI_TEXT_H
#define MCPWIRE_CLI_TEXT_H

#include <stdio.h>

/* Writes s with C0 controls, DEL, backslash, C1 controls, bidirectional
 * controls, U+2028/U+2029 and invalid UTF-8 escaped (\r \n \t \\ \xNN
 * \uXXXX); other text, UTF-8 included, as it is. */
void cli_put_visible(FILE *to, const char *s);

/* One error line "mcpwire WHO: MESSAGE" on stderr, the formatted message
 * passed through cli_put_visible; returns code. */
int cli_fail(const char *who, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A limit's value as text in a string literal: CLI_NUMBER_TEXT(MCPWIRE_X). */
#define CLI_NUMBER_TEXT_(x) #x
#define CLI_NUMBER_TEXT(x) CLI_NUMBER_TEXT_(x)

/* A usage error of a command: "mcpwire WHO: MESSAGE (try 'mcpwire WHO
 * --help')" on stderr as cli_fail writes it; returns MCPWIRE_EXIT_USAGE. */
int cli_usage_error(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
