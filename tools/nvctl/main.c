// SPDX-License-Identifier: GPL-2.0
#include "nvctl.h"

int main(int argc, char **argv)
{
	return nvctl_main(argc, argv);
}
