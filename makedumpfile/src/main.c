// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>

#include "src/dump.h"
#include "src/options.h"
#include "util/log.h"

int main(int argc, char **argv)
{
	struct options opt;

	switch (options_parse(&opt, argc, argv)) {
	case OPTIONS_EXIT_OK:
		return EXIT_SUCCESS;
	case OPTIONS_ERROR:
		return EXIT_FAILURE;
	case OPTIONS_RUN:
		break;
	}
	log_set_level(opt.message_level);
	if (opt.flatten)
		log_use_stderr();
	if (opt.check_params)
		return EXIT_SUCCESS;
	return dump_main(&opt) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
