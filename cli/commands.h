/* Sub-commands of the mcpwire CLI. Each takes the arguments after its name
 * (argv[0] is the sub-command name) and returns an exit code. */
#ifndef MCPWIRE_COMMANDS_H
#define MCPWIRE_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
/* The client side: scenarios served to an MCP client under test. */
int cmd_client(int argc, char **argv);
/* `mcpwire list --side client` (scenario_list.c): format "text" or "json". */
int list_scenarios(const char *format);
int cmd_parse(int argc, char **argv);
/* The fault proxy (cmd_proxy.c, when present in the tree). */
int cmd_proxy(int argc, char **argv);
int cmd_parse_sse(int argc, char **argv);
int cmd_parse_jsonrpc(int argc, char **argv);

#endif
