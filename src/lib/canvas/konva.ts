/**
 * Konva with only the node types the canvas draws. The package's default export also registers every
 * other shape and all 20 filters: ~45 KB more JavaScript for every first visit to download, parse and run.
 */
import { Konva as Core } from 'konva/lib/_CoreInternals';
import { Arrow } from 'konva/lib/shapes/Arrow';
import { Circle } from 'konva/lib/shapes/Circle';
import { Ellipse } from 'konva/lib/shapes/Ellipse';
import { Image } from 'konva/lib/shapes/Image';
import { Line } from 'konva/lib/shapes/Line';
import { Rect } from 'konva/lib/shapes/Rect';
import { Text } from 'konva/lib/shapes/Text';
import { Transformer } from 'konva/lib/shapes/Transformer';

const Konva = Core.Util._assign(Core, { Arrow, Circle, Ellipse, Image, Line, Rect, Text, Transformer });

// The same type names as `import Konva from 'konva'`, for the nodes registered above.
// eslint-disable-next-line @typescript-eslint/no-namespace
declare namespace Konva {
	type Node = Core.Node;
	type Container = Core.Container;
	type Stage = Core.Stage;
	type Layer = Core.Layer;
	type Group = Core.Group;
	type Shape = Core.Shape;
	type Context = Core.Context;
	type KonvaEventObject<EventType> = Core.KonvaEventObject<EventType>;
	type Vector2d = Core.Vector2d;
	type IRect = Core.IRect;
	type Arrow = import('konva/lib/shapes/Arrow').Arrow;
	type Circle = import('konva/lib/shapes/Circle').Circle;
	type Ellipse = import('konva/lib/shapes/Ellipse').Ellipse;
	type Image = import('konva/lib/shapes/Image').Image;
	type Line = import('konva/lib/shapes/Line').Line;
	type Rect = import('konva/lib/shapes/Rect').Rect;
	type Text = import('konva/lib/shapes/Text').Text;
	type Transformer = import('konva/lib/shapes/Transformer').Transformer;
}

export default Konva;
